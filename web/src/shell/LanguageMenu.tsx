import {
  Button,
  Menu,
  MenuItemRadio,
  MenuList,
  MenuPopover,
  MenuTrigger,
  type MenuProps,
  makeStyles,
} from '@fluentui/react-components';
import { LocalLanguage24Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language, changeLanguage, isLanguage } from '../i18n';

const useStyles = makeStyles({
  // On a phone the icon is enough; the accessible name still says which language is active.
  label: { '@media (max-width: 640px)': { display: 'none' } },
});

export function LanguageMenu() {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const current: Language = isLanguage(i18n.language) ? i18n.language : 'fr';
  const currentName = t(`languages.${current}`);

  const onChange: MenuProps['onCheckedValueChange'] = (_event, { checkedItems }) => {
    const chosen = checkedItems[0];
    if (isLanguage(chosen)) void changeLanguage(i18n, chosen);
  };

  return (
    <Menu checkedValues={{ language: [current] }} onCheckedValueChange={onChange}>
      <MenuTrigger disableButtonEnhancement>
        <Button
          appearance="subtle"
          icon={<LocalLanguage24Regular />}
          aria-label={t('topBar.languageButton', { language: currentName })}
        >
          <span className={styles.label}>{currentName}</span>
        </Button>
      </MenuTrigger>
      <MenuPopover>
        <MenuList aria-label={t('topBar.language')}>
          {LANGUAGES.map((language) => (
            <MenuItemRadio key={language} name="language" value={language} lang={language}>
              {t(`languages.${language}`)}
            </MenuItemRadio>
          ))}
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}
