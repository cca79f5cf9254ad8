import { Button, MessageBar, MessageBarBody, Tab, TabList, Text, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowDownload20Regular, Play20Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { ErrorMessageBar } from '../../components/ErrorMessageBar';
import { useCurrentUser } from '../../shell/CurrentUser';
import { APPS, canUseApp } from '../../shell/apps';
import { NotAllowedPage } from '../NotAllowedPage';
import { PAGE_ROOT } from '../pageStyles';
import { AlertsPanel } from './AlertsPanel';
import { MapPanel } from './MapPanel';
import { ShadowPanel } from './ShadowPanel';
import { SystemSheet } from './SystemSheet';
import { downloadPack, requestEvaluation } from './api';

const useStyles = makeStyles({
  root: PAGE_ROOT,
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  tabs: { flexWrap: 'wrap', maxWidth: '100%' },
});

const TABS = [
  ['map', '/gouvernance'],
  ['alerts', '/gouvernance/alertes'],
  ['shadow', '/gouvernance/ia-fantome'],
] as const;

/** Gouvernance: the map of AI systems with their sheets and drift, alerts, shadow AI, the certification pack. */
export function GovernancePage() {
  const { t } = useTranslation();
  const styles = useStyles();
  const user = useCurrentUser();
  const location = useLocation();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const app = APPS.find((item) => item.id === 'gouvernance');
  if (!app || !canUseApp(app, user.roles)) return <NotAllowedPage />;
  const admin = user.roles.includes('ai_admin');
  const tab = TABS.find(([, path]) => path !== '/gouvernance' && location.pathname.startsWith(path))?.[0] ?? 'map';

  const act = async (action: () => Promise<string | null>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      setNotice(await action());
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={styles.root}>
      <Text as="h1" size={600} weight="semibold">
        {t('governance.title')}
      </Text>
      <Text>{t('governance.subtitle')}</Text>
      <div className={styles.actions}>
        <Button icon={<ArrowDownload20Regular />} disabled={busy} onClick={() => void act(async () => (await downloadPack(), null))}>
          {busy ? t('governance.packBusy') : t('governance.pack')}
        </Button>
        {admin && (
          <Button
            icon={<Play20Regular />}
            disabled={busy}
            onClick={() => void act(async () => (await requestEvaluation(), t('governance.evaluateQueued')))}
          >
            {t('governance.evaluate')}
          </Button>
        )}
      </div>
      {notice && (
        <MessageBar intent="success">
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      )}
      {error !== null && <ErrorMessageBar error={error} />}
      <TabList
        className={styles.tabs}
        selectedValue={tab}
        onTabSelect={(_, data) => navigate(TABS.find(([id]) => id === data.value)?.[1] ?? '/gouvernance')}
      >
        {TABS.map(([id]) => (
          <Tab key={id} value={id}>
            {t(`governance.tabs.${id}`)}
          </Tab>
        ))}
      </TabList>
      <Routes>
        <Route index element={<MapPanel />} />
        <Route path="systemes/:systemId" element={<SystemSheet editable={admin} />} />
        <Route path="alertes" element={<AlertsPanel />} />
        <Route path="ia-fantome" element={<ShadowPanel />} />
        <Route path="*" element={<MapPanel />} />
      </Routes>
    </div>
  );
}
