import { Text, makeStyles, tokens } from '@fluentui/react-components';
import type { FluentIcon } from '@fluentui/react-icons';
import type { ReactNode } from 'react';

const useStyles = makeStyles({
  root: {
    height: '100%',
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    justifyContent: 'center',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalXXL,
    textAlign: 'center',
  },
  icon: { width: '48px', height: '48px', color: tokens.colorBrandForeground1 },
  title: { margin: 0 },
  body: { margin: 0, maxWidth: '52ch', color: tokens.colorNeutralForeground2 },
});

interface PageMessageProps {
  icon?: FluentIcon;
  title: string;
  body: string;
  children?: ReactNode;
}

/** A page of the shell that has only something to say: empty apps, not allowed, not found. */
export function PageMessage({ icon: Icon, title, body, children }: PageMessageProps) {
  const styles = useStyles();
  return (
    <div className={styles.root}>
      {Icon && <Icon className={styles.icon} aria-hidden />}
      <Text as="h1" size={600} weight="semibold" className={styles.title}>
        {title}
      </Text>
      <Text as="p" size={400} className={styles.body}>
        {body}
      </Text>
      {children}
    </div>
  );
}
