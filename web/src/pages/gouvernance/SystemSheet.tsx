import {
  Badge,
  Button,
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
import { ArrowLeft20Regular, Edit20Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { ErrorMessageBar } from '../../components/ErrorMessageBar';
import { useLoad } from '../admin/useLoad';
import { TABLE_SCROLLER } from '../pageStyles';
import { DriftChart } from './DriftChart';
import { SheetForm } from './SheetForm';
import { type CollectionQuality, type EvaluationPoint, type SystemDetail, getEvaluations, getQuality, getSystem } from './api';
import { formatScore, suiteCharts } from './drift';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '1000px' },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'minmax(140px, max-content) 1fr',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXS,
    margin: 0,
    '& dd': { margin: 0, overflowWrap: 'anywhere' },
    '& dt': { color: tokens.colorNeutralForeground3 },
  },
  pair: { display: 'contents' },
  badges: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS },
  scroller: TABLE_SCROLLER,
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});

/** One AI system's sheet: what Ariane knows, what people declared, its drift chart, data quality, history. */
export function SystemSheet({ editable }: { editable: boolean }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const navigate = useNavigate();
  const { systemId = '' } = useParams();
  const [system, reload] = useLoad(['governance', 'system', systemId], () => getSystem(systemId));
  const [editing, setEditing] = useState(false);
  if (system.kind === 'loading') return <Spinner label={t('governance.loading')} />;
  if (system.kind === 'failed') return <ErrorMessageBar error={system.error} />;
  const found = system.value;
  return (
    <article className={styles.root} aria-label={found.name}>
      <div>
        <Button appearance="subtle" icon={<ArrowLeft20Regular />} onClick={() => navigate('/gouvernance')}>
          {t('governance.sheet.back')}
        </Button>
      </div>
      <Text as="h2" size={500} weight="semibold">
        {found.name}
      </Text>
      {found.description && <Text>{found.description}</Text>}
      <div className={styles.badges}>
        <Badge appearance="tint">{t(`governance.kind.${found.kind}`)}</Badge>
        <Badge appearance="tint">{t(`governance.status.${found.sheet.status}`)}</Badge>
        <Badge appearance="tint">{t(`governance.risk.${found.risk_level}`)}</Badge>
        {found.flags.map((flag) => (
          <Badge key={flag} appearance="outline" color="warning">
            {t(`governance.flag.${flag}`)}
          </Badge>
        ))}
      </div>
      {editing ? (
        <SheetForm
          system={found}
          onDone={(saved) => {
            setEditing(false);
            if (saved) reload();
          }}
        />
      ) : (
        <Declared system={found} />
      )}
      {editable && !editing && (
        <div>
          <Button icon={<Edit20Regular />} onClick={() => setEditing(true)}>
            {t('governance.sheet.edit')}
          </Button>
        </div>
      )}
      <Facts system={found} />
      <Drift system={found} />
      {found.quality && <Quality systemId={found.id} />}
      <History system={found} />
    </article>
  );
}

function Declared({ system }: { system: SystemDetail }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const unset = t('governance.sheet.unset');
  const sheet = system.sheet;
  const rows: [string, string][] = [
    [t('governance.map.owner'), sheet.owner],
    [t('governance.sheet.ownerEmail'), sheet.owner_email],
    [t('governance.sheet.purpose'), sheet.purpose],
    [t('governance.sheet.audience'), sheet.audience],
    [t('governance.sheet.validatedBy'), sheet.validated_by],
    [t('governance.sheet.validatedOn'), sheet.validated_on ?? ''],
    [t('governance.sheet.ethics'), sheet.ethics_review],
    [t('governance.sheet.notes'), sheet.notes],
  ];
  return (
    <section className={styles.section} aria-label={t('governance.sheet.declared')}>
      <Text as="h3" weight="semibold">
        {t('governance.sheet.declared')}
      </Text>
      <dl className={styles.facts}>
        {rows.map(([label, value]) => (
          <div key={label} className={styles.pair}>
            <dt>{label}</dt>
            <dd>{value || unset}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function Facts({ system }: { system: SystemDetail }) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const number = new Intl.NumberFormat(i18n.language);
  const join = (values: string[]) => (values.length ? values.join(', ') : '—');
  const rows: [string, string][] = [
    [t('governance.sheet.source'), system.source],
    [t('governance.sheet.dataClasses'), join(system.data_classes)],
    [t('governance.sheet.models'), join(system.models)],
    [t('governance.sheet.tools'), join(system.tools)],
    [t('governance.sheet.hosting'), join(system.hosting)],
    [t('governance.sheet.roles'), join(system.roles)],
    [
      t('governance.sheet.usage'),
      t('governance.sheet.usageValue', { requests: number.format(system.usage.requests), people: number.format(system.usage.people) }),
    ],
  ];
  return (
    <section className={styles.section} aria-label={t('governance.sheet.facts')}>
      <Text as="h3" weight="semibold">
        {t('governance.sheet.facts')}
      </Text>
      <dl className={styles.facts}>
        {rows.map(([label, value]) => (
          <div key={label} className={styles.pair}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function Drift({ system }: { system: SystemDetail }) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const [points] = useLoad(['governance', 'evaluations', system.id], () => getEvaluations(system.id));
  const dateLabel = (iso: string) =>
    new Date(iso).toLocaleString(i18n.language, { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' });
  return (
    <section className={styles.section} aria-label={t('governance.sheet.scoresTitle')}>
      <Text as="h3" weight="semibold">
        {t('governance.sheet.scoresTitle')}
      </Text>
      {system.kind !== 'assistant' && <Text>{t('governance.sheet.notEvaluated')}</Text>}
      {system.kind === 'assistant' && points.kind === 'loading' && <Spinner size="small" label={t('governance.loading')} />}
      {points.kind === 'failed' && <ErrorMessageBar error={points.error} />}
      {system.kind === 'assistant' && points.kind === 'ready' && points.value.length === 0 && (
        <Text>{t('governance.sheet.noEvaluation')}</Text>
      )}
      {points.kind === 'ready' &&
        suiteCharts(points.value).map((chart) => (
          <div key={chart.suite} className={styles.section}>
            <DriftChart chart={chart} dateLabel={dateLabel} />
            <RunsTable suite={chart.suite} runs={chart.runs} dateLabel={dateLabel} />
          </div>
        ))}
    </section>
  );
}

function RunsTable({ suite, runs, dateLabel }: { suite: string; runs: EvaluationPoint[]; dateLabel: (iso: string) => string }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const label = t('governance.drift.runs', { suite });
  return (
    <div className={styles.scroller} tabIndex={0} role="region" aria-label={label}>
      <Table size="extra-small" aria-label={label}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>{t('governance.drift.at')}</TableHeaderCell>
            <TableHeaderCell>{t('governance.drift.reason')}</TableHeaderCell>
            <TableHeaderCell>{t('governance.drift.scores')}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {[...runs].reverse().map((run) => (
            <TableRow key={run.run_id}>
              <TableCell>{dateLabel(run.at)}</TableCell>
              <TableCell>{t(`governance.drift.reasons.${run.reason}`, { defaultValue: run.reason })}</TableCell>
              <TableCell>
                {run.status === 'failed'
                  ? t('governance.drift.failed', { error: run.error ?? '' })
                  : Object.entries(run.scores)
                      .map(([scorer, value]) => `${scorer} ${formatScore(value)}`)
                      .join(', ')}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

function Quality({ systemId }: { systemId: string }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [quality] = useLoad(['governance', 'quality'], () => getQuality());
  const mine: CollectionQuality | undefined =
    quality.kind === 'ready' ? quality.value.find((item) => item.system_id === systemId) : undefined;
  return (
    <section className={styles.section} aria-label={t('governance.sheet.quality')}>
      <Text as="h3" weight="semibold">
        {t('governance.sheet.quality')}
      </Text>
      {quality.kind === 'failed' && <ErrorMessageBar error={quality.error} />}
      {mine && <Text>{t('governance.quality.counts', { ...mine.counts })}</Text>}
      {mine && mine.issues.length === 0 && <Text>{t('governance.sheet.noIssue')}</Text>}
      {mine && mine.issues.length > 0 && (
        <ul className={styles.list}>
          {mine.issues.map((item) => (
            <li key={`${item.id}-${item.issue}`}>
              <Text weight="semibold">{item.title}</Text>
              {' — '}
              {t(`governance.quality.issue.${item.issue}`, { detail: item.detail })}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function History({ system }: { system: SystemDetail }) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  return (
    <section className={styles.section} aria-label={t('governance.sheet.history')}>
      <Text as="h3" weight="semibold">
        {t('governance.sheet.history')}
      </Text>
      {system.history.length === 0 && <Text>{t('governance.sheet.noHistory')}</Text>}
      <ul className={styles.list}>
        {system.history.slice(0, 50).map((entry, index) => (
          <li key={`${entry.at}-${index}`}>
            <Text>
              {new Date(entry.at).toLocaleString(i18n.language, { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' })}
              {' — '}
              {entry.summary}
              {entry.actor ? ` (${entry.actor})` : ''}
            </Text>
          </li>
        ))}
      </ul>
    </section>
  );
}
