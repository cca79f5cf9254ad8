import { Card, CardHeader, Link, Text, makeStyles, tokens } from '@fluentui/react-components';
import { Mail20Regular, Chat20Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import { useFollowInApp } from '../../components/inAppLink';
import { useLoad } from '../admin/useLoad';
import { listDelivered } from './api';

const useStyles = makeStyles({
  list: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, maxWidth: '820px' },
});

/** In Activité: what my message and mail automations delivered lately; nothing when none. */
export function AutomationsDelivered() {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const follow = useFollowInApp();
  const [state] = useLoad(['automations', 'delivered'], () => listDelivered());
  // Nothing while loading, on failure (Activité's own lists say that) or when there is none.
  if (state.kind !== 'ready' || !Array.isArray(state.value) || state.value.length === 0) return null;
  return (
    <section className={styles.list} aria-label={t('automations.delivered.title')}>
      <Text as="h2" size={500} weight="semibold">
        {t('automations.delivered.title')}
      </Text>
      {state.value.map((firing) => {
        const path = firing.thread_id ? `/chat/${firing.thread_id}` : null;
        return (
          <Card key={firing.id} data-testid="automation-delivered">
            <CardHeader
              image={firing.action === 'mail' ? <Mail20Regular /> : <Chat20Regular />}
              header={<Text weight="semibold">{firing.automation_name}</Text>}
              description={new Date(firing.created_at).toLocaleString(i18n.language, {
                dateStyle: 'short',
                timeStyle: 'short',
                timeZone: 'Europe/Paris',
              })}
            />
            <Text>{`${t(`automations.firing.${firing.status}`)} — ${firing.detail}`}</Text>
            {firing.action === 'chat' && path && (
              <Link href={path} onClick={follow(path)}>
                {t('automations.delivered.open')}
              </Link>
            )}
          </Card>
        );
      })}
    </section>
  );
}
