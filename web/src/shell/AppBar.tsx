import { CounterBadge, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { NavLink, useLocation } from 'react-router-dom';
import type { Role } from '../roles';
import { type AppId, isRelatedPath, visibleApps } from './apps';

const NARROW = '@media (max-width: 640px)';

const useStyles = makeStyles({
  root: {
    gridArea: 'bar',
    backgroundColor: tokens.colorNeutralBackground3,
    [NARROW]: { borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}` },
  },
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: `${tokens.spacingVerticalS} 0`,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    // A phone's bottom bar: as many apps as roles give, never wider than the screen (it scrolls at worst).
    [NARROW]: { flexDirection: 'row', justifyContent: 'space-around', padding: 0, height: '100%', overflowX: 'auto' },
  },
  link: {
    position: 'relative',
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    justifyContent: 'center',
    gap: '2px',
    minHeight: '56px',
    marginInline: tokens.spacingHorizontalXS,
    borderRadius: tokens.borderRadiusMedium,
    color: tokens.colorNeutralForeground2,
    textDecorationLine: 'none',
    fontSize: tokens.fontSizeBase100,
    ':hover': { backgroundColor: tokens.colorNeutralBackground3Hover, color: tokens.colorBrandForeground1 },
    ':focus-visible': {
      outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`,
      outlineOffset: '-2px',
    },
    [NARROW]: { minHeight: '48px', minWidth: '44px', marginInline: 0, flexShrink: 0 },
  },
  active: {
    color: tokens.colorBrandForeground1,
    fontWeight: tokens.fontWeightSemibold,
    // Teams marks the active app with a bar on its left edge (on top when the bar is at the bottom).
    '::before': {
      content: '""',
      position: 'absolute',
      insetInlineStart: `calc(-1 * ${tokens.spacingHorizontalXS})`,
      top: '12px',
      bottom: '12px',
      width: '3px',
      borderRadius: tokens.borderRadiusSmall,
      backgroundColor: tokens.colorBrandForeground1,
      [NARROW]: { insetInlineStart: '12px', right: '12px', top: 0, bottom: 'auto', width: 'auto', height: '3px' },
    },
  },
  icon: { fontSize: '24px' },
  iconBox: { position: 'relative', display: 'inline-flex' },
  badge: { position: 'absolute', top: '-6px', insetInlineEnd: '-10px' },
  label: {
    maxWidth: '100%',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    // Icons only on a phone; the link keeps its name through aria-label.
    [NARROW]: {
      position: 'absolute',
      width: '1px',
      height: '1px',
      overflow: 'hidden',
      clipPath: 'inset(50%)',
      whiteSpace: 'nowrap',
    },
  },
});

/**
 * The narrow bar of apps on the left (at the bottom on a phone), limited to the user's roles, with a
 * badge counting what waits in an app (approvals to give and finished jobs in Activité, held calls to
 * confirm in Chat).
 */
export function AppBar({ roles, counts = {} }: { roles: readonly Role[]; counts?: Partial<Record<AppId, number>> }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const { pathname } = useLocation();
  return (
    <nav className={styles.root} aria-label={t('appBar.label')}>
      <ul className={styles.list}>
        {visibleApps(roles).map((app) => {
          const { id, path, icon: Icon } = app;
          const related = isRelatedPath(app, pathname);
          const count = counts[id] ?? 0;
          const label = count > 0 ? t('appBar.withCount', { app: t(`apps.${id}.label`), count }) : t(`apps.${id}.label`);
          return (
            <li key={id}>
              <NavLink
                to={path}
                aria-label={label}
                className={({ isActive }) => mergeClasses(styles.link, (isActive || related) && styles.active)}
              >
                {({ isActive }) => (
                  <>
                    <span className={styles.iconBox}>
                      <Icon className={styles.icon} filled={isActive || related} aria-hidden />
                      {count > 0 && (
                        <CounterBadge className={styles.badge} count={count} size="small" color="danger" aria-hidden data-testid={`badge-${id}`} />
                      )}
                    </span>
                    <span className={styles.label}>{t(`apps.${id}.label`)}</span>
                  </>
                )}
              </NavLink>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
