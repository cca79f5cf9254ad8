import {
  Checkbox,
  Link,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessageBar } from '../../components/ErrorMessageBar';
import { useFollowInApp } from '../../components/inAppLink';
import { useLoad } from '../admin/useLoad';
import { TABLE_SCROLLER } from '../pageStyles';
import { type Alert, getAlerts } from './api';
import { formatScore } from './drift';
import { systemPath } from './MapPanel';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  scroller: TABLE_SCROLLER,
  table: { tableLayout: 'auto', minWidth: '720px' },
});

/** What an alert says: below its floor, or fallen by more than the margin. */
export function alertText(alert: Alert, t: TFunction): string {
  return alert.kind === 'below_floor'
    ? t('governance.alerts.below_floor', { value: formatScore(alert.value), floor: formatScore(alert.floor) })
    : t('governance.alerts.drop', { value: formatScore(alert.value), previous: formatScore(alert.previous ?? alert.value) });
}

/** Score alerts, newest first: one per system, suite and score, closed when the score recovers. */
export function AlertsPanel() {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const follow = useFollowInApp();
  const [onlyOpen, setOnlyOpen] = useState(true);
  const [state] = useLoad(['governance', 'alerts', onlyOpen], () => getAlerts(onlyOpen));
  const date = (iso: string | null) =>
    iso ? new Date(iso).toLocaleString(i18n.language, { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' }) : t('governance.alerts.open');
  return (
    <div className={styles.root}>
      <Checkbox label={t('governance.alerts.onlyOpen')} checked={onlyOpen} onChange={(_, data) => setOnlyOpen(Boolean(data.checked))} />
      {state.kind === 'loading' && <Spinner label={t('governance.loading')} />}
      {state.kind === 'failed' && <ErrorMessageBar error={state.error} />}
      {state.kind === 'ready' && state.value.length === 0 && <Text>{t('governance.alerts.empty')}</Text>}
      {state.kind === 'ready' && state.value.length > 0 && (
        <div className={styles.scroller} tabIndex={0} role="region" aria-label={t('governance.alerts.label')}>
          <Table className={styles.table} size="small" aria-label={t('governance.alerts.label')}>
            <TableHeader>
              <TableRow>
                {(['system', 'score', 'what', 'opened', 'closed'] as const).map((column) => (
                  <TableHeaderCell key={column}>{t(`governance.alerts.${column}`)}</TableHeaderCell>
                ))}
              </TableRow>
            </TableHeader>
            <TableBody>
              {state.value.map((alert) => (
                <TableRow key={alert.id}>
                  <TableCell>
                    <Link href={systemPath(alert.system_id)} onClick={follow(systemPath(alert.system_id))}>
                      {alert.system_id}
                    </Link>
                  </TableCell>
                  <TableCell>{`${alert.scorer} (${alert.suite})`}</TableCell>
                  <TableCell>{alertText(alert, t)}</TableCell>
                  <TableCell>{date(alert.opened_at)}</TableCell>
                  <TableCell>{date(alert.closed_at)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </div>
  );
}
