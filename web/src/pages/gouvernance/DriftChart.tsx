import { makeStyles, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { type SuiteChart, formatScore } from './drift';

// Distinct enough in light and dark themes; a line's name is also in the legend and each point's title.
const COLORS = [
  tokens.colorBrandForeground1,
  tokens.colorPaletteDarkOrangeForeground1,
  tokens.colorPaletteGreenForeground1,
  tokens.colorPaletteBerryForeground1,
  tokens.colorPaletteTealForeground2,
];

const useStyles = makeStyles({
  axis: { stroke: tokens.colorNeutralStroke1, strokeWidth: 1 },
  label: { fill: tokens.colorNeutralForeground2, fontSize: '11px' },
  legend: { fill: tokens.colorNeutralForeground1, fontSize: '12px' },
});

const WIDTH = 560;
const HEIGHT = 160;
const LEFT = 34;
const TOP = 8;
const LEGEND_ROW = 18;

/** Each score of one suite over its evaluation runs (0 to 1), its floor dashed, in plain SVG. */
export function DriftChart({ chart, dateLabel }: { chart: SuiteChart; dateLabel: (iso: string) => string }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const runs = chart.runs.length;
  const first = chart.runs[0];
  const last = chart.runs.at(-1);
  const x = (index: number) => LEFT + (runs <= 1 ? (WIDTH - LEFT) / 2 : (index * (WIDTH - LEFT - 8)) / (runs - 1));
  const y = (value: number) => TOP + (1 - Math.min(1, Math.max(0, value))) * HEIGHT;
  const legendTop = TOP + HEIGHT + 26;
  const title = t('governance.drift.chart', { suite: chart.suite });
  return (
    <svg role="img" aria-label={title} width="100%" viewBox={`0 0 ${WIDTH} ${legendTop + chart.series.length * LEGEND_ROW}`}>
      <title>{title}</title>
      {[0, 0.5, 1].map((tick) => (
        <g key={tick}>
          <line x1={LEFT} x2={WIDTH} y1={y(tick)} y2={y(tick)} className={styles.axis} strokeOpacity={0.4} />
          <text x={0} y={y(tick) + 4} className={styles.label}>
            {tick.toFixed(1)}
          </text>
        </g>
      ))}
      {chart.series.map((series, index) => {
        const color = COLORS[index % COLORS.length] ?? tokens.colorBrandForeground1;
        const points = series.values
          .map((value, run) => (value === null ? null : `${x(run)},${y(value)}`))
          .filter((point): point is string => point !== null);
        return (
          <g key={series.scorer}>
            <line x1={LEFT} x2={WIDTH} y1={y(series.floor)} y2={y(series.floor)} stroke={color} strokeDasharray="4 4" />
            {points.length > 1 && <polyline points={points.join(' ')} fill="none" stroke={color} strokeWidth={2} />}
            {chart.runs.map((point, run) => {
              const value = series.values[run];
              return value === null || value === undefined ? null : (
                <circle key={point.run_id} cx={x(run)} cy={y(value)} r={3.5} fill={color}>
                  <title>{`${series.scorer} ${formatScore(value)} — ${dateLabel(point.at)}`}</title>
                </circle>
              );
            })}
            <rect x={LEFT} y={legendTop + index * LEGEND_ROW - 9} width={12} height={4} fill={color} />
            <text x={LEFT + 18} y={legendTop + index * LEGEND_ROW - 4} className={styles.legend}>
              {`${series.scorer} (${t('governance.drift.floor', { value: formatScore(series.floor) })})`}
            </text>
          </g>
        );
      })}
      {first && (
        <text x={LEFT} y={TOP + HEIGHT + 14} className={styles.label}>
          {dateLabel(first.at)}
        </text>
      )}
      {last && last !== first && (
        <text x={WIDTH} y={TOP + HEIGHT + 14} textAnchor="end" className={styles.label}>
          {dateLabel(last.at)}
        </text>
      )}
    </svg>
  );
}
