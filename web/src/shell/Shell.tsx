import { Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { isSignOutEvent } from '../auth';
import { SIGNED_OUT_PATH } from '../pages/SignedOutPage';
import { NotificationToasts } from '../notifications/NotificationToasts';
import { useNotifications } from '../notifications/useNotifications';
import { AppBar } from './AppBar';
import { useCurrentUser } from './CurrentUser';
import { TopBar } from './TopBar';
import { APPS } from './apps';

const useStyles = makeStyles({
  root: {
    height: '100dvh',
    display: 'grid',
    gridTemplateRows: '48px minmax(0, 1fr)',
    gridTemplateColumns: '80px minmax(0, 1fr)',
    gridTemplateAreas: '"top top" "bar main"',
    backgroundColor: tokens.colorNeutralBackground3,
    '@media (max-width: 640px)': {
      gridTemplateRows: '48px minmax(0, 1fr) 56px',
      gridTemplateColumns: 'minmax(0, 1fr)',
      gridTemplateAreas: '"top" "main" "bar"',
    },
  },
  main: {
    gridArea: 'main',
    overflow: 'auto',
    backgroundColor: tokens.colorNeutralBackground1,
    borderStartStartRadius: tokens.borderRadiusXLarge,
    '@media (max-width: 640px)': { borderStartStartRadius: 0 },
  },
  loading: { padding: tokens.spacingVerticalXXL },
  skipLink: {
    position: 'absolute',
    insetInlineStart: tokens.spacingHorizontalS,
    top: '-100px',
    zIndex: 1,
    padding: tokens.spacingHorizontalS,
    backgroundColor: tokens.colorNeutralBackground1,
    ':focus': { top: tokens.spacingVerticalS },
  },
});

/** The Teams-like frame: top bar, app bar, and the active app in the main area. */
export function Shell() {
  const styles = useStyles();
  const { t } = useTranslation();
  const user = useCurrentUser();
  useDocumentTitle();
  useSignOutFromOtherTabs();
  const { data: waiting } = useNotifications();
  const counts = waiting ? { activite: waiting.approvals + waiting.jobs + (waiting.alerts ?? 0), chat: waiting.confirmations } : {};
  return (
    <div className={styles.root}>
      <a href="#main" className={styles.skipLink}>
        {t('app.skipToContent')}
      </a>
      <TopBar />
      <AppBar roles={user.roles} counts={counts} />
      <NotificationToasts />
      <main id="main" className={styles.main} tabIndex={-1}>
        {/* A page's chunk loads on first visit (App.tsx): the shell stays, the page area waits. */}
        <Suspense fallback={<Spinner className={styles.loading} label={t('status.loadingPage')} />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}

/** Signed out in another tab of this browser: this one is signed out too. */
function useSignOutFromOtherTabs() {
  const navigate = useNavigate();
  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (isSignOutEvent(event)) navigate(SIGNED_OUT_PATH, { replace: true });
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, [navigate]);
}

/** "Chat | Ariane": screen readers announce the page, and browser tabs and history say where. */
function useDocumentTitle() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  useEffect(() => {
    const app = APPS.find(({ path }) => pathname === path || pathname.startsWith(`${path}/`));
    document.title = app ? `${t(`apps.${app.id}.title`)} | ${t('app.name')}` : t('app.name');
  }, [pathname, t]);
}
