import {
  Button,
  Dropdown,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Option,
  Spinner,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { ArrowLeft24Regular, Delete24Regular, Save24Regular } from '@fluentui/react-icons';
import { useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate, useParams } from 'react-router-dom';
import { SignInRequired } from '../../api/client';
import { createAssistant, deleteAssistant, editorOptions, getAssistant, updateAssistant } from '../../assistants/api';
import { type Draft, draftFrom, emptyDraft, problems, toInput } from '../../assistants/draft';
import type { Assistant, DataClass, EditorOptions } from '../../assistants/types';
import { ErrorMessageBar } from '../../components/ErrorMessageBar';
import { ROLES } from '../../roles';
import { NotAllowedPage } from '../NotAllowedPage';
import { useLoad } from '../admin/useLoad';
import { DocumentsSection } from './DocumentsSection';
import { Picker } from './Picker';
import { TestPane } from './TestPane';

const useStyles = makeStyles({
  root: { height: '100%', overflowY: 'auto', padding: tokens.spacingHorizontalXXL, boxSizing: 'border-box' },
  columns: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 3fr) minmax(280px, 2fr)',
    gap: tokens.spacingHorizontalXXL,
    '@media (max-width: 900px)': { gridTemplateColumns: 'minmax(0, 1fr)' },
  },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  side: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXL },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  header: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, marginBottom: tokens.spacingVerticalL },
});

/** The editor of one assistant (or of a new one); each save makes a new version. */
export function AssistantEditor() {
  const { assistantId } = useParams();
  const { t } = useTranslation();
  const styles = useStyles();
  const [options] = useLoad(['assistants', 'options', assistantId ?? ''], () => editorOptions(assistantId ?? ''));
  const [loaded] = useLoad(['assistants', 'edit', assistantId ?? ''], () =>
    assistantId ? getAssistant(assistantId) : Promise.resolve(null),
  );
  if (options.kind === 'failed' || loaded.kind === 'failed') {
    const error = options.kind === 'failed' ? options.error : loaded.kind === 'failed' ? loaded.error : null;
    return (
      <div className={styles.root}>
        <ErrorMessageBar error={error} />
      </div>
    );
  }
  if (options.kind === 'loading' || loaded.kind === 'loading') {
    return (
      <div className={styles.root}>
        <Spinner label={t('assistants.loading')} />
      </div>
    );
  }
  if (loaded.value && !loaded.value.can_edit) return <NotAllowedPage />;
  return <EditorForm key={assistantId ?? 'new'} options={options.value} initial={loaded.value} />;
}

function EditorForm({ options, initial }: { options: EditorOptions; initial: Assistant | null }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState<Assistant | null>(initial);
  const [draft, setDraft] = useState<Draft>(initial ? draftFrom(initial) : emptyDraft());
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [checked, setChecked] = useState(false);
  // A new assistant's page reopens at its id once created: the confirmation travels in the history state.
  const created = (useLocation().state as { created?: number } | null)?.created;
  const [message, setMessage] = useState(created ? t('assistants.editor.saved', { version: created }) : '');

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setMessage('');
    setDraft((current) => ({ ...current, [key]: value }));
  };
  const found = problems(draft);

  const save = async () => {
    setChecked(true);
    if (found.length > 0) return;
    setBusy(true);
    try {
      const result = saved ? await updateAssistant(saved.id, toInput(draft)) : await createAssistant(toInput(draft));
      setSaved(result);
      setError(null);
      setMessage(t('assistants.editor.saved', { version: result.version }));
      // Its page opens at once with what is known (and refreshes behind), not through a spinner.
      queryClient.setQueryData(['assistants', 'edit', result.id], result);
      if (!saved) queryClient.setQueryData(['assistants', 'options', result.id], options);
      if (!saved) navigate(`/assistants/${encodeURIComponent(result.id)}`, { replace: true, state: { created: result.version } });
    } catch (failure) {
      if (!(failure instanceof SignInRequired)) setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!saved || !window.confirm(t('assistants.editor.deleteConfirm', { name: saved.name }))) return;
    try {
      await deleteAssistant(saved.id);
      navigate('/assistants');
    } catch (failure) {
      if (!(failure instanceof SignInRequired)) setError(failure);
    }
  };

  // Models the assistant names but policy no longer offers stay visible, flagged, so they can be removed.
  const modelOptions = [
    ...options.models,
    ...draft.models.filter((id) => !options.models.some((m) => m.id === id)).map((id) => ({ id, label: id })),
  ];
  const flagged = new Set(saved?.issues.map((issue) => issue.name) ?? []);

  return (
    <div className={styles.root}>
      <div className={styles.header}>
        <Button appearance="subtle" icon={<ArrowLeft24Regular />} aria-label={t('assistants.back')} onClick={() => navigate('/assistants')} />
        <Text as="h1" size={600} weight="semibold">
          {saved ? t('assistants.editor.editTitle', { name: saved.name }) : t('assistants.editor.newTitle')}
        </Text>
      </div>
      <div className={styles.columns}>
        <form
          className={styles.form}
          aria-label={t('assistants.editor.formLabel')}
          // Checked here, with messages in French beside each field, rather than by the browser.
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          {saved && saved.issues.length > 0 && (
            <MessageBar intent="warning" layout="multiline">
              <MessageBarBody>
                <MessageBarTitle>{t('assistants.editor.issuesTitle')}</MessageBarTitle>
                <ul>
                  {saved.issues.map((issue) => (
                    <li key={`${issue.kind}:${issue.name}`}>{issue.detail}</li>
                  ))}
                </ul>
              </MessageBarBody>
            </MessageBar>
          )}
          <Field
            label={t('assistants.editor.name')}
            required
            validationMessage={checked && found.includes('nameRequired') ? t('assistants.editor.nameRequired') : undefined}
          >
            <Input value={draft.name} maxLength={80} onChange={(_, data) => set('name', data.value)} />
          </Field>
          <Field label={t('assistants.editor.description')} hint={t('assistants.editor.descriptionHint')}>
            <Textarea value={draft.description} maxLength={500} onChange={(_, data) => set('description', data.value)} />
          </Field>
          <Field label={t('assistants.editor.instructions')} hint={t('assistants.editor.instructionsHint')}>
            <Textarea
              value={draft.instructions}
              rows={6}
              maxLength={8000}
              onChange={(_, data) => set('instructions', data.value)}
            />
          </Field>
          <Field label={t('assistants.editor.dataClass')} hint={t('assistants.editor.dataClassHint')}>
            <Dropdown
              value={t(`assistants.dataClasses.${draft.dataClass}`)}
              selectedOptions={[draft.dataClass]}
              onOptionSelect={(_, data) => data.optionValue && set('dataClass', data.optionValue as DataClass)}
            >
              {options.data_classes.map((option) => (
                <Option key={option.id} value={option.id}>
                  {t(`assistants.dataClasses.${option.id as DataClass}`)}
                </Option>
              ))}
            </Dropdown>
          </Field>
          <Picker
            label={t('assistants.editor.models')}
            hint={t('assistants.editor.modelsHint')}
            options={modelOptions}
            picked={draft.models}
            flagged={flagged}
            onChange={(models) => set('models', models)}
          />
          <Picker
            label={t('assistants.editor.tools')}
            options={options.tools}
            picked={draft.tools}
            flagged={flagged}
            onChange={(tools) => set('tools', tools)}
          />
          <Picker
            label={t('assistants.editor.workflows')}
            hint={t('assistants.editor.workflowsHint')}
            options={options.workflows}
            picked={draft.workflows}
            onChange={(workflows) => set('workflows', workflows)}
          />
          <Field
            label={t('assistants.editor.starterPrompts')}
            hint={t('assistants.editor.starterPromptsHint')}
            validationMessage={checked && found.includes('tooManyPrompts') ? t('assistants.editor.tooManyPrompts') : undefined}
          >
            <Textarea value={draft.starterPrompts} rows={3} onChange={(_, data) => set('starterPrompts', data.value)} />
          </Field>
          <Field label={t('assistants.editor.contact')} hint={t('assistants.editor.contactHint')}>
            <Input value={draft.contact} onChange={(_, data) => set('contact', data.value)} />
          </Field>
          <fieldset>
            <legend>{t('assistants.editor.audience')}</legend>
            <Text size={200}>{t('assistants.editor.audienceHint')}</Text>
            <Picker
              label={t('assistants.editor.roles')}
              options={options.roles.map((role) => ({ id: role, label: roleLabel(t, role) }))}
              picked={draft.roles}
              onChange={(roles) => set('roles', roles)}
            />
            <Field label={t('assistants.editor.services')} hint={t('assistants.editor.servicesHint', { known: options.services.join(', ') })}>
              <Textarea value={draft.services} rows={2} onChange={(_, data) => set('services', data.value)} />
            </Field>
          </fieldset>
          {error !== null && <ErrorMessageBar error={error} />}
          {message && (
            <MessageBar intent="success" layout="multiline">
              <MessageBarBody>{message}</MessageBarBody>
            </MessageBar>
          )}
          <div className={styles.actions}>
            <Button type="submit" appearance="primary" icon={<Save24Regular />} disabled={busy}>
              {saved ? t('assistants.editor.saveVersion') : t('assistants.editor.create')}
            </Button>
            {saved && !saved.builtin && (
              <Button icon={<Delete24Regular />} onClick={() => void remove()}>
                {t('assistants.editor.delete')}
              </Button>
            )}
          </div>
        </form>
        <div className={styles.side}>
          {saved ? (
            <>
              <DocumentsSection collection={saved.id} />
              <TestPane assistant={saved} />
            </>
          ) : (
            <Text>{t('assistants.editor.saveFirst')}</Text>
          )}
        </div>
      </div>
    </div>
  );
}

function roleLabel(t: TFunction, role: string): string {
  const known = ROLES.find((name) => name === role);
  return known ? t(`assistants.roles.${known}`) : role;
}
