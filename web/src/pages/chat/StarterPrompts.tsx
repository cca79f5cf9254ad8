import { Button, Text, makeStyles, tokens } from '@fluentui/react-components';
import { Sparkle24Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';

const STARTERS = ['meeting', 'onCall', 'agenda'] as const;

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, width: 'min(100%, 640px)' },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  prompt: { width: '100%', justifyContent: 'flex-start', textAlign: 'start', fontWeight: tokens.fontWeightRegular, padding: tokens.spacingHorizontalM },
});

/** Examples of what Ariane (or the assistant, when it has its own `prompts`) can do, sent as they are. */
export function StarterPrompts({
  disabled,
  onPick,
  prompts,
}: {
  disabled?: boolean;
  onPick: (message: string) => void;
  prompts?: readonly string[];
}) {
  const styles = useStyles();
  const { t } = useTranslation();
  const texts = prompts && prompts.length > 0 ? prompts : STARTERS.map((id) => t(`chat.starters.${id}`));
  return (
    <section className={styles.root} aria-labelledby="starters-title">
      <Text as="h2" id="starters-title" size={300} weight="semibold">
        {t('chat.startersTitle')}
      </Text>
      <ul className={styles.list}>
        {texts.map((text) => (
          <li key={text}>
            <Button
              className={styles.prompt}
              appearance="outline"
              icon={<Sparkle24Regular />}
              disabled={disabled}
              onClick={() => onPick(text)}
            >
              {text}
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}
