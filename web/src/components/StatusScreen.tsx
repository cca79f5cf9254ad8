import { Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageMenu } from '../shell/LanguageMenu';

const useStyles = makeStyles({
  root: {
    minHeight: '100dvh',
    display: 'flex',
    flexDirection: 'column',
    backgroundColor: tokens.colorNeutralBackground3,
  },
  header: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    height: '48px',
    paddingInline: tokens.spacingHorizontalL,
  },
  productName: { color: tokens.colorBrandForeground1 },
  title: { margin: 0 },
  main: {
    flexGrow: 1,
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    padding: tokens.spacingHorizontalL,
  },
  card: {
    width: 'min(480px, 100%)',
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalXXL,
    borderRadius: tokens.borderRadiusXLarge,
    backgroundColor: tokens.colorNeutralBackground1,
    boxShadow: tokens.shadow8,
    '& p': { margin: 0 }, // the card's gap spaces paragraphs
  },
});

interface StatusScreenProps {
  title?: string;
  /** Shown with a spinner, for the moments between pages (signing in, loading the profile). */
  busyLabel?: string;
  children?: ReactNode;
}

/** A full page outside the shell: signing in, signed out, sign-in or profile failures. */
export function StatusScreen({ title, busyLabel, children }: StatusScreenProps) {
  const styles = useStyles();
  const { t } = useTranslation();
  return (
    <div className={styles.root}>
      <header className={styles.header}>
        <Text weight="semibold" size={500} className={styles.productName}>
          {t('app.name')}
        </Text>
        <LanguageMenu />
      </header>
      <main className={styles.main}>
        {busyLabel ? (
          <Spinner label={busyLabel} labelPosition="below" />
        ) : (
          <section className={styles.card} aria-labelledby="status-title">
            {title && (
              <Text as="h1" id="status-title" size={600} weight="semibold" className={styles.title}>
                {title}
              </Text>
            )}
            {children}
          </section>
        )}
      </main>
    </div>
  );
}
