import {
  Button,
  Dropdown,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Option,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { Add20Regular } from '@fluentui/react-icons';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessageBar } from '../../components/ErrorMessageBar';
import { useLoad } from '../admin/useLoad';
import { TABLE_SCROLLER } from '../pageStyles';
import { type AiService, type ServiceKind, SERVICE_KINDS, getCatalogue, removeService, saveService } from './api';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, maxWidth: '640px' },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  scroller: TABLE_SCROLLER,
});

const EMPTY: AiService = { id: '', name: '', provider: '', kind: 'assistant_conversationnel', country: '', domains: [] };

/** Host names typed one per line or separated by commas or spaces. */
export function domainsOf(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((domain) => domain.trim())
    .filter(Boolean);
}

/** The catalogue of public AI services the proxy logs are matched with; AI administrators and security edit it. */
export function CatalogueEditor({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const client = useQueryClient();
  const [state] = useLoad(['governance', 'shadow', 'catalogue'], () => getCatalogue());
  const [draft, setDraft] = useState<{ service: AiService; domains: string; isNew: boolean } | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<number | null>(null);

  if (state.kind === 'loading') return <Spinner label={t('governance.loading')} />;
  if (state.kind === 'failed') return <ErrorMessageBar error={state.error} />;
  const catalogue = state.value;

  const run = async (change: () => Promise<{ version: number }>) => {
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const result = await change();
      setSaved(result.version);
      setDraft(null);
      setRemoving(null);
      await client.invalidateQueries({ queryKey: ['governance', 'shadow'] });
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const edit = (service: AiService, isNew: boolean) => {
    setError(null);
    setSaved(null);
    setRemoving(null);
    setDraft({ service, domains: service.domains.join('\n'), isNew });
  };
  const set = <K extends keyof AiService>(key: K, value: AiService[K]) =>
    setDraft((current) => current && { ...current, service: { ...current.service, [key]: value } });

  return (
    <section className={styles.root} aria-label={t('governance.catalogue.title')}>
      <Text as="h3" weight="semibold">
        {t('governance.catalogue.title')}
      </Text>
      <Text>{t('governance.catalogue.intro', { version: catalogue.version, count: catalogue.services })}</Text>
      <div className={styles.scroller} tabIndex={0} role="region" aria-label={t('governance.catalogue.title')}>
        <Table size="small" aria-label={t('governance.catalogue.title')}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t('governance.catalogue.name')}</TableHeaderCell>
              <TableHeaderCell>{t('governance.shadow.provider')}</TableHeaderCell>
              <TableHeaderCell>{t('governance.catalogue.kind')}</TableHeaderCell>
              <TableHeaderCell>{t('governance.shadow.country')}</TableHeaderCell>
              <TableHeaderCell>{t('governance.catalogue.domains')}</TableHeaderCell>
              {canEdit && <TableHeaderCell>{t('governance.catalogue.actions')}</TableHeaderCell>}
            </TableRow>
          </TableHeader>
          <TableBody>
            {catalogue.entries.map((service) => (
              <TableRow key={service.id}>
                <TableCell>{service.name}</TableCell>
                <TableCell>{service.provider}</TableCell>
                <TableCell>{t(`governance.catalogue.kinds.${service.kind}`)}</TableCell>
                <TableCell>{service.country}</TableCell>
                <TableCell>{service.domains.join(', ')}</TableCell>
                {canEdit && (
                  <TableCell>
                    <div className={styles.actions}>
                      <Button size="small" aria-label={t('governance.catalogue.editLabel', { name: service.name })} onClick={() => edit(service, false)}>
                        {t('governance.catalogue.edit')}
                      </Button>
                      {removing === service.id ? (
                        <>
                          <Button
                            size="small"
                            appearance="primary"
                            disabled={busy}
                            onClick={() => void run(() => removeService(service.id))}
                          >
                            {t('governance.catalogue.confirmRemove', { name: service.name })}
                          </Button>
                          <Button size="small" onClick={() => setRemoving(null)}>
                            {t('governance.catalogue.cancel')}
                          </Button>
                        </>
                      ) : (
                        <Button size="small" aria-label={t('governance.catalogue.removeLabel', { name: service.name })} onClick={() => setRemoving(service.id)}>
                          {t('governance.catalogue.remove')}
                        </Button>
                      )}
                    </div>
                  </TableCell>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      {saved !== null && (
        <MessageBar intent="success">
          <MessageBarBody>{t('governance.catalogue.saved', { version: saved })}</MessageBarBody>
        </MessageBar>
      )}
      {canEdit && draft === null && (
        <div className={styles.actions}>
          <Button icon={<Add20Regular />} onClick={() => edit(EMPTY, true)}>
            {t('governance.catalogue.add')}
          </Button>
        </div>
      )}
      {canEdit && draft !== null && (
        <form
          className={styles.form}
          aria-label={t('governance.catalogue.form')}
          onSubmit={(event) => {
            event.preventDefault();
            void run(() => saveService({ ...draft.service, domains: domainsOf(draft.domains) }));
          }}
        >
          <Field label={t('governance.catalogue.id')} required>
            <Input value={draft.service.id} maxLength={63} disabled={!draft.isNew} onChange={(_, data) => set('id', data.value.trim())} />
          </Field>
          <Field label={t('governance.catalogue.name')} required>
            <Input value={draft.service.name} maxLength={120} onChange={(_, data) => set('name', data.value)} />
          </Field>
          <Field label={t('governance.shadow.provider')} required>
            <Input value={draft.service.provider} maxLength={120} onChange={(_, data) => set('provider', data.value)} />
          </Field>
          <Field label={t('governance.catalogue.kind')}>
            <Dropdown
              value={t(`governance.catalogue.kinds.${draft.service.kind}`)}
              selectedOptions={[draft.service.kind]}
              onOptionSelect={(_, data) => set('kind', (data.optionValue ?? draft.service.kind) as ServiceKind)}
            >
              {SERVICE_KINDS.map((kind) => (
                <Option key={kind} value={kind}>
                  {t(`governance.catalogue.kinds.${kind}`)}
                </Option>
              ))}
            </Dropdown>
          </Field>
          <Field label={t('governance.catalogue.country')} required>
            <Input value={draft.service.country} maxLength={2} onChange={(_, data) => set('country', data.value.toUpperCase())} />
          </Field>
          <Field label={t('governance.catalogue.domainsHint')} required>
            <Textarea value={draft.domains} onChange={(_, data) => setDraft({ ...draft, domains: data.value })} />
          </Field>
          <div className={styles.actions}>
            <Button type="submit" appearance="primary" disabled={busy}>
              {busy ? t('governance.catalogue.saving') : t('governance.catalogue.save')}
            </Button>
            <Button onClick={() => setDraft(null)} disabled={busy}>
              {t('governance.catalogue.cancel')}
            </Button>
          </div>
        </form>
      )}
      {error !== null && <ErrorMessageBar error={error} />}
    </section>
  );
}
