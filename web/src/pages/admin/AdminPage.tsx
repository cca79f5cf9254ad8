import { Tab, TabList, Text, makeStyles } from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../shell/CurrentUser';
import { NotAllowedPage } from '../NotAllowedPage';
import { CataloguePanel } from './CataloguePanel';
import { HistoryPanel } from './HistoryPanel';
import { PolicyPanel } from './PolicyPanel';
import { UsagePanel } from './UsagePanel';
import { PAGE_ROOT } from '../pageStyles';

const useStyles = makeStyles({
  root: PAGE_ROOT,
});

const TABS = ['catalogue', 'policy', 'history', 'usage'] as const;
type TabId = (typeof TABS)[number];

/** Administration of the LLM gateway, for AI administrators (the server checks the role too). */
export function AdminPage() {
  const { t } = useTranslation();
  const styles = useStyles();
  const user = useCurrentUser();
  const [tab, setTab] = useState<TabId>('catalogue');
  if (!user.roles.includes('ai_admin')) return <NotAllowedPage />;
  return (
    <div className={styles.root}>
      <Text as="h1" size={600} weight="semibold">
        {t('admin.title')}
      </Text>
      <Text>{t('admin.subtitle')}</Text>
      <TabList selectedValue={tab} onTabSelect={(_, data) => setTab(data.value as TabId)}>
        {TABS.map((id) => (
          <Tab key={id} value={id}>
            {t(`admin.tabs.${id}`)}
          </Tab>
        ))}
      </TabList>
      {tab === 'catalogue' && <CataloguePanel />}
      {tab === 'policy' && <PolicyPanel />}
      {tab === 'history' && <HistoryPanel />}
      {tab === 'usage' && <UsagePanel />}
    </div>
  );
}
