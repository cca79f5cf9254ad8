import {
  Badge,
  Checkbox,
  Dropdown,
  Link,
  Option,
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
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessageBar } from '../../components/ErrorMessageBar';
import { useFollowInApp } from '../../components/inAppLink';
import { useLoad } from '../admin/useLoad';
import { TABLE_SCROLLER } from '../pageStyles';
import { type AiSystem, type RiskLevel, type SystemKind, type SystemMap, getMap } from './api';
import { formatScore } from './drift';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  filters: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalL, alignItems: 'center' },
  scroller: TABLE_SCROLLER,
  table: { tableLayout: 'auto', minWidth: '900px' },
  badges: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS },
});

const RISK_COLOR: Record<RiskLevel, 'danger' | 'warning' | 'informative' | 'success' | 'subtle'> = {
  unacceptable: 'danger',
  high: 'danger',
  limited: 'warning',
  minimal: 'success',
  unassessed: 'subtle',
};

export const systemPath = (id: string) => `/gouvernance/systemes/${encodeURIComponent(id)}`;

/** The map of AI systems: kind, status, risk level, owner, last scores and what needs attention. */
export function MapPanel() {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const [state] = useLoad(['governance', 'map'], () => getMap());
  const [kind, setKind] = useState<SystemKind | 'all'>('all');
  const [onlyFlagged, setOnlyFlagged] = useState(false);
  if (state.kind === 'loading') return <Spinner label={t('governance.loading')} />;
  if (state.kind === 'failed') return <ErrorMessageBar error={state.error} />;
  const map = state.value;
  const lastEvaluation = (last: SystemMap['last_evaluation']) => {
    if (!last) return t('governance.map.neverEvaluated');
    const at = new Date(last.at).toLocaleString(i18n.language, { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' });
    if (last.status === 'failed') return t('governance.map.evaluationFailed', { at, error: last.error ?? '' });
    if (last.status === 'running') return t('governance.map.evaluationRunning', { at });
    return t('governance.map.evaluated', { at });
  };
  const kinds = Object.keys(map.by_kind) as SystemKind[];
  const shown = map.systems.filter(
    (system) => (kind === 'all' || system.kind === kind) && (!onlyFlagged || system.flags.length > 0),
  );
  return (
    <div className={styles.root}>
      <Text>{t('governance.map.summary', { count: map.systems.length, flagged: map.flagged })}</Text>
      <Text>{lastEvaluation(map.last_evaluation)}</Text>
      <div className={styles.filters}>
        <Dropdown
          aria-label={t('governance.map.filterKind')}
          value={kind === 'all' ? t('governance.map.allKinds') : t(`governance.kind.${kind}`)}
          selectedOptions={[kind]}
          onOptionSelect={(_, data) => setKind((data.optionValue ?? 'all') as SystemKind | 'all')}
        >
          <Option value="all">{t('governance.map.allKinds')}</Option>
          {kinds.map((value) => (
            <Option key={value} value={value}>
              {`${t(`governance.kind.${value}`)} (${map.by_kind[value]})`}
            </Option>
          ))}
        </Dropdown>
        <Checkbox
          label={t('governance.map.onlyFlagged')}
          checked={onlyFlagged}
          onChange={(_, data) => setOnlyFlagged(Boolean(data.checked))}
        />
      </div>
      <div className={styles.scroller} tabIndex={0} role="region" aria-label={t('governance.map.label')}>
        <Table className={styles.table} aria-label={t('governance.map.label')} size="small">
          <TableHeader>
            <TableRow>
              {(['name', 'kindColumn', 'statusColumn', 'riskColumn', 'owner', 'scores', 'flags'] as const).map((column) => (
                <TableHeaderCell key={column}>{t(`governance.map.${column}`)}</TableHeaderCell>
              ))}
            </TableRow>
          </TableHeader>
          <TableBody>
            {shown.map((system) => (
              <SystemRow key={system.id} system={system} />
            ))}
          </TableBody>
        </Table>
      </div>
      {shown.length === 0 && <Text>{t('governance.map.empty')}</Text>}
    </div>
  );
}

function SystemRow({ system }: { system: AiSystem }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const follow = useFollowInApp();
  return (
    <TableRow data-system={system.id}>
      <TableCell>
        <Link href={systemPath(system.id)} onClick={follow(systemPath(system.id))}>
          {system.name}
        </Link>
      </TableCell>
      <TableCell>{t(`governance.kind.${system.kind}`)}</TableCell>
      <TableCell>{t(`governance.status.${system.sheet.status}`)}</TableCell>
      <TableCell>
        <Badge appearance="tint" color={RISK_COLOR[system.risk_level]}>
          {t(`governance.risk.${system.risk_level}`)}
        </Badge>
      </TableCell>
      <TableCell>{system.sheet.owner || t('governance.map.noOwner')}</TableCell>
      <TableCell>
        {system.scores.length === 0
          ? '—'
          : system.scores.map((score) => `${score.scorer} ${formatScore(score.value)}`).join(', ')}
      </TableCell>
      <TableCell>
        <span className={styles.badges}>
          {system.flags.length === 0
            ? t('governance.map.none')
            : system.flags.map((flag) => (
                <Badge key={flag} appearance="outline" color={flag === 'score_alert' ? 'danger' : 'warning'}>
                  {t(`governance.flag.${flag}`)}
                </Badge>
              ))}
        </span>
      </TableCell>
    </TableRow>
  );
}
