import { Badge, Spinner, Tab, TabList, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessageBar } from '../../components/ErrorMessageBar';
import { useCurrentUser } from '../../shell/CurrentUser';
import { NotAllowedPage } from '../NotAllowedPage';
import { useLoad } from '../admin/useLoad';
import { RegisterForm } from './RegisterForm';
import { ServerPanel } from './ServerPanel';
import { getServer, listServers } from './api';
import { PAGE_ROOT } from '../pageStyles';

const useStyles = makeStyles({
  root: PAGE_ROOT,
  columns: { display: 'grid', gridTemplateColumns: 'minmax(220px, 1fr) 3fr', gap: tokens.spacingHorizontalXL },
});

/** Outils: the MCP tool registry, for tool developers and AI administrators (the server checks too). */
export function ToolsPage() {
  const { t } = useTranslation();
  const styles = useStyles();
  const user = useCurrentUser();
  const [selected, setSelected] = useState<string | null>(null);
  const [servers, reloadServers] = useLoad(['registry', 'servers'], () => listServers());
  const [detail, reloadDetail] = useLoad(['registry', 'server', selected], () =>
    selected ? getServer(selected) : Promise.resolve(null),
  );
  if (!user.roles.some((role) => role === 'tool_developer' || role === 'ai_admin')) return <NotAllowedPage />;

  const refresh = () => {
    reloadServers();
    reloadDetail();
  };
  return (
    <div className={styles.root}>
      <Text as="h1" size={600} weight="semibold">
        {t('registry.title')}
      </Text>
      <Text>{t('registry.subtitle')}</Text>
      <div className={styles.columns}>
        <nav aria-label={t('registry.servers')}>
          {servers.kind === 'loading' && <Spinner size="tiny" label={t('registry.loading')} />}
          {servers.kind === 'failed' && <ErrorMessageBar error={servers.error} />}
          {servers.kind === 'ready' && (
            <TabList
              vertical
              selectedValue={selected ?? 'new'}
              onTabSelect={(_, data) => setSelected(data.value === 'new' ? null : String(data.value))}
            >
              <Tab value="new">{t('registry.register')}</Tab>
              {servers.value.map((server) => (
                <Tab key={server.name} value={server.name}>
                  {server.name} <Badge size="small">{t(`registry.status.${server.status}`)}</Badge>
                  {server.attention > 0 && (
                    <Badge size="small" color="warning">
                      {server.attention}
                    </Badge>
                  )}
                </Tab>
              ))}
            </TabList>
          )}
        </nav>
        <div>
          {selected === null && (
            <RegisterForm
              onRegistered={(server) => {
                reloadServers();
                setSelected(server.name);
              }}
            />
          )}
          {selected !== null && detail.kind === 'loading' && <Spinner size="tiny" label={t('registry.loading')} />}
          {selected !== null && detail.kind === 'failed' && <ErrorMessageBar error={detail.error} />}
          {selected !== null && detail.kind === 'ready' && detail.value && (
            <ServerPanel server={detail.value} onChanged={refresh} />
          )}
        </div>
      </div>
    </div>
  );
}
