import { makeStyles, tokens } from '@fluentui/react-components';
import { type DiffLine, parseDiff } from './diff';

const useStyles = makeStyles({
  root: {
    margin: 0,
    padding: tokens.spacingHorizontalS,
    maxHeight: '320px',
    overflow: 'auto',
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    backgroundColor: tokens.colorNeutralBackground2,
    borderRadius: tokens.borderRadiusMedium,
  },
  add: { color: tokens.colorPaletteGreenForeground1, display: 'block' },
  remove: { color: tokens.colorPaletteRedForeground1, display: 'block' },
  hunk: { color: tokens.colorBrandForeground1, display: 'block' },
  header: { color: tokens.colorNeutralForeground3, display: 'block' },
  context: { display: 'block' },
});

/** A unified diff, coloured line by line. */
export function DiffView({ diff, label }: { diff: string; label: string }) {
  const styles = useStyles();
  const lines: DiffLine[] = parseDiff(diff);
  return (
    <pre className={styles.root} aria-label={label}>
      {lines.map((line, index) => (
        // biome-ignore lint: lines have no identity besides their position
        <span key={index} className={styles[line.kind]}>
          {line.text || ' '}
        </span>
      ))}
    </pre>
  );
}
