import { Dropdown, Option, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessageBar } from '../../components/ErrorMessageBar';
import { BarChart, TimeChart } from './BarChart';
import { getUsage } from './api';
import { dailyBars, parisToday, topBars, totals } from './usage';
import { useLoad } from './useLoad';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(420px, 1fr))', gap: tokens.spacingHorizontalXL },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

const PERIODS = [7, 30, 90] as const;
const TOP = 8;

/** Usage of the gateway by service, job category, model and over time. */
export function UsagePanel() {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const [days, setDays] = useState<number>(30);
  const [state] = useLoad(['admin', 'usage', days], () => getUsage(days));
  const number = new Intl.NumberFormat(i18n.language);
  const format = (n: number) => number.format(n);
  const others = t('admin.usage.others');
  const unknown = t('admin.usage.unknown');
  return (
    <div className={styles.root}>
      <Dropdown
        aria-label={t('admin.usage.period')}
        value={t('admin.usage.days', { count: days })}
        selectedOptions={[String(days)]}
        onOptionSelect={(_, data) => setDays(Number(data.optionValue))}
      >
        {PERIODS.map((period) => (
          <Option key={period} value={String(period)}>
            {t('admin.usage.days', { count: period })}
          </Option>
        ))}
      </Dropdown>
      {state.kind === 'loading' && <Spinner label={t('admin.loading')} />}
      {state.kind === 'failed' && <ErrorMessageBar error={state.error} />}
      {state.kind === 'ready' && (
        <>
          <Text>
            {(() => {
              const sum = totals(state.value.by_model);
              return t('admin.usage.totals', {
                requests: format(sum.requests),
                refused: format(sum.refused),
                tokens: format(sum.tokens),
                cost: sum.cost.toFixed(2),
              });
            })()}
          </Text>
          <div className={styles.grid}>
            {(
              [
                ['by_service', state.value.by_service],
                ['by_job_category', state.value.by_job_category],
                ['by_model', state.value.by_model],
              ] as const
            ).map(([group, rows]) => (
              <section key={group} className={styles.section}>
                <Text as="h3" weight="semibold">
                  {t(`admin.usage.${group}`)}
                </Text>
                <BarChart bars={topBars(rows, TOP, others, unknown)} title={t(`admin.usage.${group}`)} format={format} />
              </section>
            ))}
            <section className={styles.section}>
              <Text as="h3" weight="semibold">
                {t('admin.usage.by_day')}
              </Text>
              <TimeChart bars={dailyBars(state.value.by_day, days, parisToday())} title={t('admin.usage.by_day')} />
            </section>
          </div>
        </>
      )}
    </div>
  );
}
