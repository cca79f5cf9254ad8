import { Accordion, AccordionHeader, AccordionItem, AccordionPanel, Spinner, Text } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { ErrorMessageBar } from '../../components/ErrorMessageBar';
import { DiffView } from './DiffView';
import { getHistory } from './api';
import { diffStats, parseDiff } from './diff';
import { useLoad } from './useLoad';

/** Saved versions of the policy: who, when, why, and the diff. */
export function HistoryPanel() {
  const { t, i18n } = useTranslation();
  const [state] = useLoad(['admin', 'history'], () => getHistory());
  if (state.kind === 'loading') return <Spinner label={t('admin.loading')} />;
  if (state.kind === 'failed') return <ErrorMessageBar error={state.error} />;
  if (state.value.length === 0) return <Text>{t('admin.history.empty')}</Text>;
  const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <Accordion collapsible multiple>
      {state.value.map((version) => {
        const stats = diffStats(parseDiff(version.diff));
        return (
          <AccordionItem key={version.version} value={version.version}>
            <AccordionHeader>
              {t('admin.history.entry', {
                version: version.version,
                author: version.author_email,
                when: when.format(new Date(version.created_at)),
                added: stats.added,
                removed: stats.removed,
              })}
              {version.comment ? ` — ${version.comment}` : ''}
            </AccordionHeader>
            <AccordionPanel>
              <DiffView diff={version.diff} label={t('admin.policy.diff')} />
            </AccordionPanel>
          </AccordionItem>
        );
      })}
    </Accordion>
  );
}
