import { Card, CardHeader, Link, Text, makeStyles, tokens } from '@fluentui/react-components';
import { Warning20Filled } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import { useFollowInApp } from '../../components/inAppLink';
import { useCurrentUser } from '../../shell/CurrentUser';
import { APPS, canUseApp } from '../../shell/apps';
import { useLoad } from '../admin/useLoad';
import { alertText } from './AlertsPanel';
import { getMyAlerts } from './api';
import { systemPath } from './MapPanel';

const useStyles = makeStyles({
  list: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, maxWidth: '820px' },
  icon: { color: tokens.colorPaletteDarkOrangeForeground1 },
});

/** In Activité: the open score alerts sent to me (owner of the system, or AI administrator); nothing when none. */
export function MyAlerts() {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const user = useCurrentUser();
  const follow = useFollowInApp();
  const [state] = useLoad(['governance', 'alerts', 'mine'], () => getMyAlerts());
  // Nothing to show while loading, on failure (Activité's own lists say that) or without alerts.
  if (state.kind !== 'ready' || !Array.isArray(state.value) || state.value.length === 0) return null;
  const governance = APPS.find((app) => app.id === 'gouvernance');
  const canOpen = governance !== undefined && canUseApp(governance, user.roles);
  return (
    <section className={styles.list} aria-label={t('governance.mine.title')}>
      <Text as="h2" size={500} weight="semibold">
        {t('governance.mine.title')}
      </Text>
      {state.value.map((alert) => (
        <Card key={alert.id}>
          <CardHeader
            image={<Warning20Filled className={styles.icon} />}
            header={<Text weight="semibold">{alert.system_name || alert.system_id}</Text>}
            description={t('governance.mine.opened', {
              at: new Date(alert.opened_at).toLocaleString(i18n.language, { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' }),
            })}
          />
          <Text>{`${alert.scorer} (${alert.suite}) : ${alertText(alert, t)}`}</Text>
          {canOpen && (
            <Link href={systemPath(alert.system_id)} onClick={follow(systemPath(alert.system_id))}>
              {t('governance.mine.open')}
            </Link>
          )}
        </Card>
      ))}
    </section>
  );
}
