import { Badge, MessageBar, MessageBarBody, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { IntakeDetail } from './api';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, marginTop: tokens.spacingVerticalM },
  head: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

/** Who did what to the document, and whether its hash-chained history still checks out. */
export function DocumentHistory({ detail }: { detail: IntakeDetail }) {
  const styles = useStyles();
  const { t, i18n } = useTranslation();
  const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'medium' });
  return (
    <section className={styles.root} aria-label={t('intake.history.title')} data-testid="intake-history">
      <div className={styles.head}>
        <Text weight="semibold">{t('intake.history.title')}</Text>
        {detail.history_intact && (
          <Badge appearance="tint" color="success" data-testid="intake-history-intact">
            {t('intake.history.intact')}
          </Badge>
        )}
      </div>
      {!detail.history_intact && (
        <MessageBar intent="error" data-testid="intake-history-altered">
          <MessageBarBody>{t('intake.history.altered')}</MessageBarBody>
        </MessageBar>
      )}
      <ol className={styles.list}>
        {detail.events.map((event, index) => (
          <li key={`${event.at}-${index}`}>
            <Text size={200}>
              {when.format(new Date(event.at))} — {t(`intake.history.kinds.${event.kind}`, { defaultValue: event.kind })}
              {event.actor ? ` (${event.actor})` : ''}
            </Text>
          </li>
        ))}
      </ol>
    </section>
  );
}
