import { Badge, Button, Checkbox, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessageBar } from '../../components/ErrorMessageBar';
import { useCurrentUser } from '../../shell/CurrentUser';
import { DiffView } from '../admin/DiffView';
import { type ServerDetail, approveServer, removeServer, serverAction } from './api';
import { ToolReview } from './ToolReview';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS },
  tool: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    padding: tokens.spacingHorizontalM,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
});

const COLOURS = { active: 'success', pending_review: 'warning', suspended: 'danger', flagged: 'danger' } as const;

/**
 * One server: its declaration, its tools with status, findings and the diff of a changed definition;
 * review actions (inspect — the first time anything is started —, then approve with a judgement per tool).
 */
export function ServerPanel({ server, onChanged }: { server: ServerDetail; onChanged: () => void }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const user = useCurrentUser();
  const [error, setError] = useState<unknown>(null);
  const admin = user.roles.includes('ai_admin');
  const mine = server.registered_by === user.email;
  const [readOnly, setReadOnly] = useState<string[]>(() =>
    server.tools.filter((tool) => tool.review?.read_only).map((tool) => tool.name),
  );
  const inspected = server.transport === 'builtin' || Boolean(server.inspected_at);
  // A tool is judged (read-only or not) only while there is something to approve: once approved, its
  // confirmation is changed in its permissions, not by a checkbox that no button would send.
  const awaitingApproval = server.status !== 'active' || server.tools.some((tool) => tool.status !== 'active');
  const judging = admin && !mine && inspected && server.transport !== 'builtin' && awaitingApproval;

  async function act(run: () => Promise<unknown>) {
    setError(null);
    try {
      await run();
      onChanged();
    } catch (caught) {
      setError(caught);
    }
  }

  const declared = server.package ? `${server.package}==${server.package_version ?? ''}` : server.command;
  const where = server.url ?? [declared, ...server.args].join(' ');
  return (
    <section className={styles.root} aria-label={server.name}>
      <Text as="h2" size={500} weight="semibold">
        {server.name} <Badge color={COLOURS[server.status]}>{t(`registry.status.${server.status}`)}</Badge>
      </Text>
      <Text className={styles.mono}>{where || t('registry.builtin')}</Text>
      <Text>
        {t('registry.meta', {
          protocol: server.protocol_version ?? '—',
          health: t(`registry.health.${server.health}`),
          author: server.registered_by,
        })}
      </Text>
      {server.isolation && <Text>{t('registry.isolation', { isolation: server.isolation })}</Text>}
      {!inspected && <Text italic>{t('registry.notInspected')}</Text>}
      {server.health_detail && <Text>{server.health_detail}</Text>}
      <div className={styles.actions}>
        {admin && !inspected && server.status === 'pending_review' && (
          <Button appearance="primary" disabled={mine} onClick={() => act(() => serverAction(server.name, 'inspect'))}>
            {t('registry.actions.inspect')}
          </Button>
        )}
        {admin && inspected && server.status !== 'active' && (
          <Button appearance="primary" disabled={mine} onClick={() => act(() => approveServer(server.name, readOnly))}>
            {t('registry.actions.approve')}
          </Button>
        )}
        {admin && server.status === 'active' && server.tools.some((tool) => tool.status !== 'active') && (
          <Button disabled={mine} onClick={() => act(() => approveServer(server.name, readOnly))}>
            {t('registry.actions.reapprove')}
          </Button>
        )}
        {(admin || mine) && server.status !== 'suspended' && (
          <Button onClick={() => act(() => serverAction(server.name, 'suspend'))}>
            {t('registry.actions.suspend')}
          </Button>
        )}
        {(admin || mine) && server.transport !== 'builtin' && (
          <Button onClick={() => act(() => removeServer(server.name))}>{t('registry.actions.remove')}</Button>
        )}
      </div>
      {admin && mine && server.status !== 'active' && <Text italic>{t('registry.selfApproval')}</Text>}
      {error !== null && <ErrorMessageBar error={error} />}
      {server.tools.map((tool) => (
        <article key={tool.name} className={styles.tool} aria-label={tool.name}>
          <Text weight="semibold">
            {tool.name} <Badge color={COLOURS[tool.status]}>{t(`registry.toolStatus.${tool.status}`)}</Badge>
            {tool.confirmation && <Badge appearance="outline">{t('registry.confirmation')}</Badge>}
          </Text>
          <Text>{tool.description}</Text>
          {judging && tool.status !== 'flagged' && (
            <Checkbox
              label={t('registry.readOnly')}
              checked={readOnly.includes(tool.name)}
              onChange={(_, data) =>
                setReadOnly((current) =>
                  data.checked ? [...current, tool.name] : current.filter((name) => name !== tool.name),
                )
              }
            />
          )}
          {tool.status_reason && <Text italic>{t(`registry.reason.${tool.status_reason}`, tool.status_reason)}</Text>}
          <Text className={styles.mono}>{tool.digest}</Text>
          {tool.findings.map((finding) => (
            <Text key={`${finding.field}-${finding.code}`}>
              {t(`registry.severity.${finding.severity}`)} — {finding.detail}
              {finding.excerpt && ` « ${finding.excerpt} »`}
            </Text>
          ))}
          {tool.diff && <DiffView diff={tool.diff} label={t('registry.diff', { tool: tool.name })} />}
          <ToolReview server={server.name} tool={tool} admin={admin} onChanged={onChanged} />
        </article>
      ))}
    </section>
  );
}
