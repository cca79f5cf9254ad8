import { Text, makeStyles, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { LanguageMenu } from './LanguageMenu';
import { SignOutButton } from './SignOutButton';
import { ThemeButton } from './ThemeButton';
import { UserSummary } from './UserSummary';

const useStyles = makeStyles({
  root: {
    gridArea: 'top',
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    paddingInline: tokens.spacingHorizontalL,
    backgroundColor: tokens.colorNeutralBackground3,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  productName: { color: tokens.colorBrandForeground1, flexShrink: 0 },
  spacer: { flexGrow: 1 },
});

export function TopBar() {
  const styles = useStyles();
  const { t } = useTranslation();
  return (
    <header className={styles.root} aria-label={t('topBar.label')}>
      <Text weight="bold" size={500} className={styles.productName}>
        {t('app.name')}
      </Text>
      <div className={styles.spacer} />
      <ThemeButton />
      <LanguageMenu />
      <UserSummary />
      <SignOutButton />
    </header>
  );
}
