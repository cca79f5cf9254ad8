import { makeStyles, tokens } from '@fluentui/react-components';
import { useCallback } from 'react';
import { Markdown } from '../../chat/markdown';
import type { Citation } from '../../chat/types';
import { FootnoteMarker } from './Citations';

const useStyles = makeStyles({
  root: {
    lineHeight: tokens.lineHeightBase300,
    overflowWrap: 'anywhere',
    '& > :first-child': { marginTop: 0 },
    '& > :last-child': { marginBottom: 0 },
    '& p, & ul, & ol, & blockquote, & pre, & table': { margin: `0 0 ${tokens.spacingVerticalS}` },
    '& ul, & ol': { paddingInlineStart: tokens.spacingHorizontalXL },
    '& li + li': { marginTop: tokens.spacingVerticalXXS },
    '& h3, & h4, & h5, & h6': { margin: `${tokens.spacingVerticalM} 0 ${tokens.spacingVerticalXS}`, fontSize: tokens.fontSizeBase400 },
    '& code': {
      fontFamily: tokens.fontFamilyMonospace,
      fontSize: tokens.fontSizeBase200,
      backgroundColor: tokens.colorNeutralBackground3,
      borderRadius: tokens.borderRadiusSmall,
      paddingInline: '3px',
    },
    '& pre': { overflowX: 'auto', padding: tokens.spacingHorizontalS, backgroundColor: tokens.colorNeutralBackground3 },
    '& blockquote': {
      paddingInlineStart: tokens.spacingHorizontalM,
      borderLeft: `${tokens.strokeWidthThick} solid ${tokens.colorNeutralStroke1}`,
      color: tokens.colorNeutralForeground2,
    },
    '& table': { borderCollapse: 'collapse' },
    '& th, & td': { border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`, padding: '2px 6px' },
    '& a': { color: tokens.colorBrandForegroundLink },
    // Footnote markers must not push their line away from the others.
    '& sup': { lineHeight: 0 },
  },
});

/** An answer's Markdown, its `[n]` markers linked to the citations that have arrived so far. */
export function Answer({ text, citations, turnKey }: { text: string; citations: Citation[]; turnKey: string }) {
  const styles = useStyles();
  const renderFootnote = useCallback(
    (index: number, key: string) => {
      const citation = citations.find((c) => c.index === index);
      return citation ? <FootnoteMarker key={key} citation={citation} turnKey={turnKey} /> : null;
    },
    [citations, turnKey],
  );
  return (
    <div className={styles.root} data-testid="answer">
      <Markdown text={text} renderFootnote={renderFootnote} />
    </div>
  );
}
