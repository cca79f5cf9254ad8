import { Avatar, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from './CurrentUser';

const useStyles = makeStyles({
  root: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, minWidth: 0 },
  text: {
    display: 'flex',
    flexDirection: 'column',
    minWidth: 0,
    lineHeight: tokens.lineHeightBase200,
    '@media (max-width: 640px)': { display: 'none' },
  },
  ellipsis: { whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' },
  jobTitle: { color: tokens.colorNeutralForeground3 },
});

/** Who is signed in: avatar with initials, name and job title (the name alone on a phone). */
export function UserSummary() {
  const styles = useStyles();
  const { t } = useTranslation();
  const user = useCurrentUser();
  return (
    <div className={styles.root} role="group" aria-label={t('topBar.signedInAs', { name: user.display_name })}>
      <Avatar name={user.display_name} color="colorful" size={32} aria-hidden />
      <div className={styles.text}>
        <Text weight="semibold" size={300} className={styles.ellipsis}>
          {user.display_name}
        </Text>
        {user.job_title && (
          <Text size={200} className={mergeClasses(styles.ellipsis, styles.jobTitle)}>
            {user.job_title}
          </Text>
        )}
      </div>
    </div>
  );
}
