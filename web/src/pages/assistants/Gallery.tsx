import {
  Badge,
  Button,
  Card,
  CardFooter,
  CardHeader,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { Add24Regular, Bot24Regular, Chat24Regular, Edit24Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { listAssistants } from '../../assistants/api';
import { canCreateAssistants } from '../../assistants/draft';
import type { Assistant } from '../../assistants/types';
import { ErrorMessageBar } from '../../components/ErrorMessageBar';
import { useCurrentUser } from '../../shell/CurrentUser';
import { useLoad } from '../admin/useLoad';

const useStyles = makeStyles({
  root: { height: '100%', overflowY: 'auto', padding: tokens.spacingHorizontalXXL, boxSizing: 'border-box' },
  header: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalM },
  intro: { color: tokens.colorNeutralForeground2, maxWidth: '70ch' },
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(300px, 1fr))',
    gap: tokens.spacingHorizontalL,
    marginTop: tokens.spacingVerticalL,
    listStyleType: 'none',
    padding: 0,
  },
  card: { height: '100%' },
  prompts: { margin: 0, paddingInlineStart: tokens.spacingHorizontalL, color: tokens.colorNeutralForeground2 },
  meta: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS },
});

/** The gallery: what each assistant is for, who made it, and a way to talk to it. */
export function Gallery() {
  const styles = useStyles();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const user = useCurrentUser();
  const [assistants] = useLoad(['assistants'], () => listAssistants());

  return (
    <div className={styles.root}>
      <div className={styles.header}>
        <Text as="h1" size={700} weight="semibold">
          {t('assistants.title')}
        </Text>
        {canCreateAssistants(user.roles) && (
          <Button appearance="primary" icon={<Add24Regular />} onClick={() => navigate('/assistants/nouveau')}>
            {t('assistants.create')}
          </Button>
        )}
      </div>
      <Text as="p" className={styles.intro}>
        {t('assistants.intro')}
      </Text>
      {assistants.kind === 'loading' && <Spinner label={t('assistants.loading')} />}
      {assistants.kind === 'failed' && <ErrorMessageBar error={assistants.error} />}
      {assistants.kind === 'ready' && (
        <ul className={styles.grid} aria-label={t('assistants.galleryLabel')}>
          {assistants.value.map((assistant) => (
            <li key={assistant.id}>
              <AssistantCard assistant={assistant} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function AssistantCard({ assistant }: { assistant: Assistant }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const author = assistant.author ? assistant.author.display_name : t('assistants.builtin');
  return (
    <Card className={styles.card} aria-label={assistant.name}>
      <CardHeader
        image={<Bot24Regular />}
        header={
          <Text as="h2" size={400} weight="semibold">
            {assistant.name}
          </Text>
        }
        description={<Text size={200}>{t('assistants.madeBy', { author })}</Text>}
      />
      <Text>{assistant.description || t('assistants.noDescription')}</Text>
      <div className={styles.meta}>
        <Badge appearance="tint">{t(`assistants.dataClasses.${assistant.data_class}`)}</Badge>
        {assistant.issues.length > 0 && (
          <Badge appearance="filled" color="warning">
            {t('assistants.issuesBadge', { count: assistant.issues.length })}
          </Badge>
        )}
      </div>
      {assistant.starter_prompts.length > 0 && (
        <ul className={styles.prompts} aria-label={t('assistants.startersOf', { name: assistant.name })}>
          {assistant.starter_prompts.map((prompt) => (
            <li key={prompt}>{prompt}</li>
          ))}
        </ul>
      )}
      <CardFooter>
        <Button
          appearance="primary"
          icon={<Chat24Regular />}
          onClick={() => navigate(`/chat?assistant=${encodeURIComponent(assistant.id)}`)}
        >
          {t('assistants.chat')}
        </Button>
        {assistant.can_edit && (
          <Button icon={<Edit24Regular />} onClick={() => navigate(`/assistants/${encodeURIComponent(assistant.id)}`)}>
            {t('assistants.edit')}
          </Button>
        )}
      </CardFooter>
    </Card>
  );
}
