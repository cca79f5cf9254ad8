import {
  Button,
  Dropdown,
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
import { ArrowDownload20Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessageBar } from '../../components/ErrorMessageBar';
import { BarChart, TimeChart } from '../admin/BarChart';
import { useLoad } from '../admin/useLoad';
import { useCurrentUser } from '../../shell/CurrentUser';
import { TABLE_SCROLLER } from '../pageStyles';
import { CatalogueEditor } from './CatalogueEditor';
import { UploadReport } from './UploadReport';
import { type ShadowReport, downloadReportCsv, getReport, listReports } from './api';
import { groupBars, serviceBars, weeklyBars } from './shadow';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(min(420px, 100%), 1fr))', gap: tokens.spacingHorizontalXL },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  header: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'center' },
  scroller: TABLE_SCROLLER,
});

const TOP = 8;

/** Shadow AI: use of public AI services seen in proxy logs, by service, job category and week. */
export function ShadowPanel() {
  const { t } = useTranslation();
  const styles = useStyles();
  const user = useCurrentUser();
  const [reports] = useLoad(['governance', 'shadow', 'reports'], () => listReports());
  const [chosen, setChosen] = useState<string | null>(null);
  const manager = user.roles.includes('ai_admin') || user.roles.includes('security');
  const upload = manager && <UploadReport onUploaded={(report) => setChosen(report.id)} />;
  if (reports.kind === 'loading') return <Spinner label={t('governance.loading')} />;
  if (reports.kind === 'failed') return <ErrorMessageBar error={reports.error} />;
  const current = reports.value.find((report) => report.id === chosen) ?? reports.value[0];
  if (!current) {
    return (
      <div className={styles.root}>
        <Text>{t('governance.shadow.none')}</Text>
        {upload}
        <CatalogueEditor canEdit={manager} />
      </div>
    );
  }
  return (
    <div className={styles.root}>
      {upload}
      <div className={styles.header}>
        <Dropdown
          aria-label={t('governance.shadow.report')}
          value={current.name}
          selectedOptions={[current.id]}
          onOptionSelect={(_, data) => setChosen(data.optionValue ?? null)}
        >
          {reports.value.map((report) => (
            <Option key={report.id} value={report.id}>
              {report.name}
            </Option>
          ))}
        </Dropdown>
        <Button icon={<ArrowDownload20Regular />} onClick={() => void downloadReportCsv(current.id)}>
          {t('governance.shadow.export')}
        </Button>
      </div>
      <Report reportId={current.id} />
      <CatalogueEditor canEdit={manager} />
    </div>
  );
}

function Report({ reportId }: { reportId: string }) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const [state] = useLoad(['governance', 'shadow', 'report', reportId], () => getReport(reportId));
  if (state.kind === 'loading') return <Spinner label={t('governance.loading')} />;
  if (state.kind === 'failed') return <ErrorMessageBar error={state.error} />;
  const report: ShadowReport = state.value;
  const number = new Intl.NumberFormat(i18n.language);
  const format = (n: number) => number.format(n);
  const others = t('admin.usage.others');
  const summary = report.summary;
  const names = new Map(report.services.map((service) => [service.ai_service, service.name]));
  return (
    <>
      <Text>
        {summary.sample && `${t('governance.shadow.sample')} — `}
        {t('governance.shadow.summary', {
          lines: format(summary.lines),
          first: summary.first_day ?? '—',
          last: summary.last_day ?? '—',
          ai: format(summary.ai_lines),
          people: format(summary.people),
          malformed: format(summary.malformed),
        })}
      </Text>
      <Text>{report.names_visible ? t('governance.shadow.named') : t('governance.shadow.pseudonymised', { min: report.min_group })}</Text>
      <div className={styles.grid}>
        <section className={styles.section} aria-label={t('governance.shadow.topServices')}>
          <Text as="h3" weight="semibold">
            {t('governance.shadow.topServices')}
          </Text>
          <BarChart bars={serviceBars(report.services, TOP, others)} title={t('governance.shadow.topServices')} format={format} />
        </section>
        <section className={styles.section} aria-label={t('governance.shadow.weekly')}>
          <Text as="h3" weight="semibold">
            {t('governance.shadow.weekly')}
          </Text>
          <TimeChart bars={weeklyBars(report.weekly)} title={t('governance.shadow.weekly')} />
        </section>
        <section className={styles.section} aria-label={t('governance.shadow.byJobCategory')}>
          <Text as="h3" weight="semibold">
            {t('governance.shadow.byJobCategory')}
          </Text>
          <BarChart bars={groupBars(report.by_job_category, TOP, others)} title={t('governance.shadow.byJobCategory')} format={format} />
        </section>
        <section className={styles.section} aria-label={t('governance.shadow.byService')}>
          <Text as="h3" weight="semibold">
            {t('governance.shadow.byService')}
          </Text>
          <BarChart bars={groupBars(report.by_service, TOP, others)} title={t('governance.shadow.byService')} format={format} />
        </section>
      </div>
      <div className={styles.scroller} tabIndex={0} role="region" aria-label={t('governance.shadow.services')}>
        <Table size="small" aria-label={t('governance.shadow.services')}>
          <TableHeader>
            <TableRow>
              {(['service', 'provider', 'country', 'requests', 'people'] as const).map((column) => (
                <TableHeaderCell key={column}>{t(`governance.shadow.${column}`)}</TableHeaderCell>
              ))}
            </TableRow>
          </TableHeader>
          <TableBody>
            {report.services.map((service) => (
              <TableRow key={service.ai_service}>
                <TableCell>{service.name}</TableCell>
                <TableCell>{service.provider}</TableCell>
                <TableCell>{service.country}</TableCell>
                <TableCell>{format(service.requests)}</TableCell>
                <TableCell>{format(service.people)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      <div className={styles.scroller} tabIndex={0} role="region" aria-label={t('governance.shadow.cross')}>
        <Table size="small" aria-label={t('governance.shadow.cross')}>
          <TableHeader>
            <TableRow>
              {(['category', 'service', 'requests', 'people'] as const).map((column) => (
                <TableHeaderCell key={column}>{t(`governance.shadow.${column}`)}</TableHeaderCell>
              ))}
            </TableRow>
          </TableHeader>
          <TableBody>
            {report.by_category_and_service.map((row) => (
              <TableRow key={`${row.job_category}/${row.ai_service}`}>
                <TableCell>{row.job_category}</TableCell>
                <TableCell>{names.get(row.ai_service) ?? row.ai_service}</TableCell>
                <TableCell>{format(row.requests)}</TableCell>
                <TableCell>{format(row.people)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      {report.people && (
        <div className={styles.scroller} tabIndex={0} role="region" aria-label={t('governance.shadow.peopleTitle')}>
          <Table size="small" aria-label={t('governance.shadow.peopleTitle')}>
            <TableHeader>
              <TableRow>
                {(['person', 'unit', 'category', 'requests', 'services'] as const).map((column) => (
                  <TableHeaderCell key={column}>{t(`governance.shadow.${column}`)}</TableHeaderCell>
                ))}
              </TableRow>
            </TableHeader>
            <TableBody>
              {report.people.map((person) => (
                <TableRow key={person.person}>
                  <TableCell>{person.display_name || person.login}</TableCell>
                  <TableCell>{person.service}</TableCell>
                  <TableCell>{person.job_category}</TableCell>
                  <TableCell>{format(person.requests)}</TableCell>
                  <TableCell>{person.ai_services.join(', ')}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </>
  );
}
