import { Badge, Button, Card, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { type RobotChange, decideRobotChange } from './api';

const useStyles = makeStyles({
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  spec: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    maxHeight: '240px',
    overflow: 'auto',
    whiteSpace: 'pre-wrap',
    margin: 0,
  },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS },
  muted: { color: tokens.colorNeutralForeground3 },
});

/**
 * A proposed robot definition: what would run (the whole definition, its digest and the digest in
 * force), who proposed it, who approved it so far; Approuver / Refuser for the owner service or the RSSI.
 */
export function RobotChangeCard({ change: initial, onDecided }: { change: RobotChange; onDecided?: () => void }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const [change, setChange] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (approve: boolean) => {
    setBusy(true);
    setError(null);
    try {
      setChange(await decideRobotChange(change.id, approve));
      onDecided?.();
    } catch (failure) {
      setError(failure instanceof ApiError ? (failure.detail ?? failure.code) : String(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card className={styles.card} data-testid="robot-change-card">
      <Text weight="semibold">
        {t('robots.change.title', { robot: change.robot_id, author: change.proposed_by })}{' '}
        <Badge appearance="tint">{t(`robots.change.status.${change.status}`)}</Badge>
      </Text>
      <Text size={200}>
        {t('robots.change.approvals', {
          owner: change.owner_approved_by ?? t('robots.change.awaited', { who: change.owner_service }),
          security: change.security_approved_by ?? t('robots.change.awaitedSecurity'),
        })}
      </Text>
      <pre className={styles.spec} aria-label={t('robots.change.definition')}>
        {JSON.stringify(change.spec, null, 2)}
      </pre>
      <Text size={100} className={styles.muted}>
        {t('robots.change.digests', { proposed: change.digest, current: change.current_digest ?? '—' })}
      </Text>
      {change.may_approve && (
        <div className={styles.actions}>
          <Button appearance="primary" disabled={busy} onClick={() => void submit(true)}>
            {t('robots.change.approve')}
          </Button>
          <Button disabled={busy} onClick={() => void submit(false)}>
            {t('robots.change.reject')}
          </Button>
        </div>
      )}
      {error && <Text role="alert" className={styles.muted}>{error}</Text>}
    </Card>
  );
}
