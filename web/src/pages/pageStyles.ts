import { type GriffelStyle, tokens } from '@fluentui/react-components';

/** The root of a full page (Activité, Audit, Outils, Administration): a scrolling padded column. */
export const PAGE_ROOT: GriffelStyle = {
  display: 'flex',
  flexDirection: 'column',
  gap: tokens.spacingVerticalM,
  padding: tokens.spacingHorizontalXXL,
  overflow: 'auto',
  height: '100%',
  boxSizing: 'border-box',
};
