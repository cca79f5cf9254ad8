import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../shell/CurrentUser';
import { type ShellApp, canUseApp } from '../shell/apps';
import { NotAllowedPage } from './NotAllowedPage';
import { PageMessage } from './PageMessage';

/**
 * One app of the app bar. Each says for now what will live there; a user whose roles do not
 * allow the app (typed URL, old bookmark) gets the "not allowed" page, not a crash.
 */
export function AppPage({ app }: { app: ShellApp }) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  if (!canUseApp(app, user.roles)) return <NotAllowedPage />;
  return <PageMessage icon={app.icon} title={t(`apps.${app.id}.title`)} body={t(`apps.${app.id}.empty`)} />;
}
