import { Button, Text, makeStyles, tokens } from '@fluentui/react-components';
import { Sparkle24Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';

const STARTERS = ['meeting', 'onCall', 'agenda'] as const;

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, width: 'min(100%, 640px)' },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  prompt: { width: '100%', justifyContent: 'flex-start', textAlign: 'start', fontWeight: tokens.fontWeightRegular, padding: tokens.spacingHorizontalM },
});

/** Examples of what Ariane can do, sent as they are when picked. */
export function StarterPrompts({ disabled, onPick }: { disabled?: boolean; onPick: (message: string) => void }) {
  const styles = useStyles();
  const { t } = useTranslation();
  return (
    <section className={styles.root} aria-labelledby="starters-title">
      <Text as="h2" id="starters-title" size={300} weight="semibold">
        {t('chat.startersTitle')}
      </Text>
      <ul className={styles.list}>
        {STARTERS.map((id) => (
          <li key={id}>
            <Button
              className={styles.prompt}
              appearance="outline"
              icon={<Sparkle24Regular />}
              disabled={disabled}
              onClick={() => onPick(t(`chat.starters.${id}`))}
            >
              {t(`chat.starters.${id}`)}
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}
