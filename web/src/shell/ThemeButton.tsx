import { Button, Tooltip } from '@fluentui/react-components';
import { WeatherMoon20Regular, WeatherSunny20Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import { useThemeChoice } from '../theme/theme';

/** Switch between Fluent's light and dark themes (kept in this browser, for every tab). */
export function ThemeButton() {
  const { t } = useTranslation();
  const { theme, setTheme } = useThemeChoice();
  const dark = theme === 'dark';
  const label = t('topBar.darkTheme');
  return (
    <Tooltip content={label} relationship="label">
      <Button
        appearance="subtle"
        icon={dark ? <WeatherSunny20Regular /> : <WeatherMoon20Regular />}
        aria-pressed={dark}
        onClick={() => setTheme(dark ? 'light' : 'dark')}
      />
    </Tooltip>
  );
}
