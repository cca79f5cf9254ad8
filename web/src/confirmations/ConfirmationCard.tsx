import {
  Badge,
  Button,
  Card,
  MessageBar,
  MessageBarBody,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { type Confirmation, summariseArguments } from './api';

const useStyles = makeStyles({
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  header: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  args: { borderCollapse: 'collapse', fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  cell: {
    padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalS}`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    textAlign: 'left',
    overflowWrap: 'anywhere',
  },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS },
  muted: { color: tokens.colorNeutralForeground3 },
});

const STATUS_COLOR = { pending: 'warning', confirmed: 'success', declined: 'subtle' } as const;

/**
 * A tool call the registry held (it may change data or act outside Ariane): what exactly would run,
 * with « Confirmer » / « Annuler ». `onDecide` records the decision and follows the run it starts;
 * it resolves to the decided call, or rejects with the server's reason (tool suspended, changed…).
 */
export function ConfirmationCard({
  confirmation,
  onDecide,
  disabled = false,
}: {
  confirmation: Confirmation;
  onDecide: (confirm: boolean) => Promise<Confirmation>;
  /** While a run is going in the thread, a decision would be refused: the buttons wait. */
  disabled?: boolean;
}) {
  const styles = useStyles();
  const { t } = useTranslation();
  const [decided, setDecided] = useState<Confirmation | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const shown = decided ?? confirmation;
  const name = `${shown.server}/${shown.tool}`;

  const submit = async (confirm: boolean) => {
    setBusy(true);
    setError(null);
    try {
      setDecided(await onDecide(confirm));
    } catch (failure) {
      setError(failure instanceof ApiError ? (failure.detail ?? failure.code) : String(failure));
    } finally {
      setBusy(false);
    }
  };

  const args = summariseArguments(shown.arguments);
  return (
    <Card className={styles.card} data-testid="confirmation-card" data-status={shown.status}>
      <div className={styles.header}>
        <Text weight="semibold">{t('confirmations.title')}</Text>
        <Badge appearance="tint" color={STATUS_COLOR[shown.status]}>
          {t(`confirmations.status.${shown.status}`)}
        </Badge>
      </div>
      <Text>{t('confirmations.what', { title: shown.title, name })}</Text>
      {shown.description && (
        <Text size={200} className={styles.muted}>
          {shown.description}
        </Text>
      )}
      {args.length > 0 ? (
        <table className={styles.args} aria-label={t('confirmations.arguments')}>
          <tbody>
            {args.map(([key, value]) => (
              <tr key={key}>
                <th className={styles.cell} scope="row">{key}</th>
                <td className={styles.cell}>{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <Text size={200} className={styles.muted}>{t('confirmations.noArguments')}</Text>
      )}
      {shown.status === 'pending' ? (
        <div className={styles.actions}>
          <Button appearance="primary" disabled={busy || disabled} onClick={() => void submit(true)}>
            {t('confirmations.confirm')}
          </Button>
          <Button disabled={busy || disabled} onClick={() => void submit(false)}>
            {t('confirmations.decline')}
          </Button>
        </div>
      ) : (
        <Text size={200} className={styles.muted} data-testid="confirmation-decided">
          {t(`confirmations.decided.${shown.status}`)}
        </Text>
      )}
      {error && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
    </Card>
  );
}
