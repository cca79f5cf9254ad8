import { type GriffelStyle, tokens } from '@fluentui/react-components';

/** The root of a full page (Activité, Audit, Outils, Administration): a scrolling padded column. */
export const PAGE_ROOT: GriffelStyle = {
  display: 'flex',
  flexDirection: 'column',
  gap: tokens.spacingVerticalM,
  padding: tokens.spacingHorizontalXXL,
  overflow: 'auto',
  height: '100%',
  minWidth: 0,
  boxSizing: 'border-box',
  '@media (max-width: 640px)': { padding: tokens.spacingHorizontalM },
};

/** A wide table's frame: it scrolls sideways inside the page (focusable, for the keyboard). */
export const TABLE_SCROLLER: GriffelStyle = {
  maxWidth: '100%',
  overflowX: 'auto',
  flexShrink: 0,
  ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
};
