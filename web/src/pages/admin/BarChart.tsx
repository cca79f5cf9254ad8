import { makeStyles, tokens } from '@fluentui/react-components';
import type { Bar } from './usage';

const useStyles = makeStyles({
  label: { fill: tokens.colorNeutralForeground1, fontSize: '12px' },
  value: { fill: tokens.colorNeutralForeground2, fontSize: '12px' },
  bar: { fill: tokens.colorBrandBackground },
});

const ROW = 26;
const LABEL_WIDTH = 190;
const VALUE_WIDTH = 90;

/** Horizontal bars in plain SVG: one row per bar, the value at the end. */
export function BarChart({ bars, title, format }: { bars: Bar[]; title: string; format: (n: number) => string }) {
  const styles = useStyles();
  const width = 560;
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const room = width - LABEL_WIDTH - VALUE_WIDTH;
  return (
    <svg role="img" aria-label={title} width="100%" viewBox={`0 0 ${width} ${Math.max(ROW, bars.length * ROW)}`}>
      <title>{title}</title>
      {bars.map((bar, index) => {
        const y = index * ROW;
        const length = Math.max(bar.value > 0 ? 2 : 0, (bar.value / max) * room);
        return (
          <g key={bar.label}>
            <text x={0} y={y + 17} className={styles.label}>
              {bar.label.length > 28 ? `${bar.label.slice(0, 27)}…` : bar.label}
            </text>
            <rect x={LABEL_WIDTH} y={y + 5} width={length} height={ROW - 10} rx={3} className={styles.bar} />
            <text x={LABEL_WIDTH + length + 6} y={y + 17} className={styles.value}>
              {format(bar.value)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** Vertical bars over time (one per day), in plain SVG. */
export function TimeChart({ bars, title }: { bars: Bar[]; title: string }) {
  const styles = useStyles();
  const width = 560;
  const height = 140;
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const step = width / Math.max(1, bars.length);
  return (
    <svg role="img" aria-label={title} width="100%" viewBox={`0 0 ${width} ${height + 18}`}>
      <title>{title}</title>
      {bars.map((bar, index) => {
        const barHeight = (bar.value / max) * height;
        return (
          <rect
            key={bar.label}
            x={index * step + 1}
            y={height - barHeight}
            width={Math.max(1, step - 2)}
            height={barHeight}
            className={styles.bar}
          >
            <title>{`${bar.label} : ${bar.value}`}</title>
          </rect>
        );
      })}
      {bars.length > 0 && (
        <>
          <text x={0} y={height + 14} className={styles.value}>
            {bars[0]?.label}
          </text>
          <text x={width} y={height + 14} textAnchor="end" className={styles.value}>
            {bars[bars.length - 1]?.label}
          </text>
        </>
      )}
    </svg>
  );
}
