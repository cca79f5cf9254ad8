import { Badge, Button, Card, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { useCurrentUser } from '../../shell/CurrentUser';
import { PAGE_ROOT } from '../pageStyles';
import { NewAutomationForm } from './NewAutomationForm';
import { type Automation, type AutomationAction, type Firing, act, listAutomations, listFirings, runNow } from './api';

const useStyles = makeStyles({
  root: PAGE_ROOT,
  list: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '880px' },
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  muted: { color: tokens.colorNeutralForeground3 },
  error: { color: tokens.colorPaletteRedForeground1 },
  history: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

function failureText(failure: unknown): string {
  return failure instanceof ApiError ? (failure.detail ?? failure.code) : String(failure);
}

function when(iso: string | null, language: string): string {
  return iso ? new Date(iso).toLocaleString(language, { dateStyle: 'short', timeStyle: 'short' }) : '';
}

/** What a firing does, for whom: a robot request, a message in their conversation, or a mail. */
function does(automation: Automation, t: TFunction): string {
  const owner = automation.owner.display_name;
  if (automation.action === 'chat') return t('automations.chat', { owner });
  if (automation.action === 'mail') return t('automations.mail', { to: automation.notify.join(', '), owner });
  return t('automations.robot', { robot: automation.robot_name, owner });
}

/** One automation: what fires it, what it does for whom, its state, its actions and history. */
function AutomationCard({ initial }: { initial: Automation }) {
  const styles = useStyles();
  const { t, i18n } = useTranslation();
  const [automation, setAutomation] = useState(initial);
  const [firings, setFirings] = useState<Firing[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (step: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await step();
    } catch (failure) {
      setError(failureText(failure));
    } finally {
      setBusy(false);
    }
  };
  const showHistory = () => run(async () => setFirings(await listFirings(automation.id)));
  const doAction = (action: AutomationAction) => run(async () => setAutomation(await act(automation.id, action)));
  const doRunNow = () =>
    run(async () => {
      const fired = await runNow(automation.id);
      setFirings((previous) => [fired, ...(previous ?? [])]);
    });

  const filter = [automation.filter.sender, automation.filter.subject, automation.filter.body].filter(Boolean).join(' · ');
  const trigger =
    automation.kind === 'mail'
      ? t('automations.trigger.mail', { mailbox: automation.mailbox, filter })
      : t('automations.trigger.schedule', { cron: automation.cron, timezone: automation.timezone });
  return (
    <Card className={styles.card} data-testid="automation-card" aria-label={automation.name}>
      <Text weight="semibold">
        {automation.name} <Badge appearance="tint">{t(`automations.status.${automation.status}`)}</Badge>
      </Text>
      <Text size={200}>{trigger}</Text>
      <Text size={200}>{does(automation, t)}</Text>
      {automation.model && (
        <Text size={200} className={styles.muted}>
          {t(`automations.model.${automation.kind}`, { model: automation.model })}
        </Text>
      )}
      {automation.message && (
        <Text size={200} className={styles.muted}>
          {t('automations.text', { text: automation.message })}
        </Text>
      )}
      <Text size={200} className={styles.muted}>
        {automation.approved_by
          ? t('automations.approvedBy', { who: automation.approved_by.display_name })
          : t(automation.action === 'robot' ? 'automations.awaitingApproval' : 'automations.awaitingAdmin')}
        {automation.next_slot ? ` · ${t('automations.next', { when: when(automation.next_slot, i18n.language) })}` : ''}
      </Text>
      <div className={styles.actions}>
        {automation.may_approve && (
          <>
            <Button appearance="primary" disabled={busy} onClick={() => doAction('approve')}>
              {t('automations.actions.approve')}
            </Button>
            <Button disabled={busy} onClick={() => doAction('reject')}>
              {t('automations.actions.reject')}
            </Button>
          </>
        )}
        {automation.status === 'active' && (
          <Button disabled={busy} onClick={() => doAction('pause')}>
            {t('automations.actions.pause')}
          </Button>
        )}
        {automation.status === 'paused' && (
          <Button disabled={busy} onClick={() => doAction('resume')}>
            {t('automations.actions.resume')}
          </Button>
        )}
        {automation.kind === 'schedule' && automation.status === 'active' && automation.may_edit && (
          <Button disabled={busy} onClick={doRunNow}>
            {t('automations.actions.runNow')}
          </Button>
        )}
        <Button appearance="subtle" disabled={busy} onClick={showHistory}>
          {t('automations.actions.history')}
        </Button>
      </div>
      {error && (
        <Text role="alert" className={styles.error}>
          {error}
        </Text>
      )}
      {firings && (
        <section aria-label={t('automations.history')}>
          {firings.length === 0 ? (
            <Text size={200}>{t('automations.noFiring')}</Text>
          ) : (
            <ul className={styles.history}>
              {firings.map((firing) => (
                <li key={firing.id}>
                  <Text size={200}>
                    {when(firing.created_at, i18n.language)} — {t(`automations.origin.${firing.origin}`)} —{' '}
                    {firing.message?.subject ?? firing.key} — {t(`automations.firing.${firing.status}`)}
                    {firing.detail ? ` (${firing.detail})` : ''}
                  </Text>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </Card>
  );
}

/** Automatisations: mail triggers and schedules that launch robots, their approval, pause and history. */
export function AutomationsPage() {
  const styles = useStyles();
  const { t } = useTranslation();
  const [automations, setAutomations] = useState<Automation[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    listAutomations()
      .then((listed) => {
        setAutomations(listed);
        setError(null);
      })
      .catch((failure: unknown) => setError(failureText(failure)));
  }, []);
  useEffect(load, [load]);
  // Tool developers and the AI coordination create automations (server/automations/service.py EDITORS).
  const roles = useCurrentUser().roles;
  const editor = roles.includes('tool_developer') || roles.includes('ai_admin');
  const [creating, setCreating] = useState(false);
  const created = (automation: Automation) => {
    setCreating(false);
    setAutomations((previous) => [automation, ...(previous ?? [])]);
  };

  return (
    <div className={styles.root}>
      <Text as="h1" size={600} weight="semibold">
        {t('automations.title')}
      </Text>
      <Text className={styles.muted}>{t('automations.intro')}</Text>
      {editor && !creating && (
        <div>
          <Button appearance="primary" onClick={() => setCreating(true)}>
            {t('automations.form.open')}
          </Button>
        </div>
      )}
      {creating && <NewAutomationForm onCreated={created} onCancel={() => setCreating(false)} />}
      {error && (
        <Text role="alert" className={styles.error}>
          {error}
        </Text>
      )}
      {!automations && !error && <Spinner label={t('automations.loading')} />}
      {automations && (
        <div className={styles.list}>
          {automations.length === 0 && <Text>{t('automations.empty')}</Text>}
          {automations.map((automation) => (
            <AutomationCard key={automation.id} initial={automation} />
          ))}
        </div>
      )}
    </div>
  );
}
