import {
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { Suspense, lazy, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessageBar } from '../../components/ErrorMessageBar';
import { DiffView } from './DiffView';
import { type Policy, type PolicyCheck, checkPolicy, getPolicy, savePolicy } from './api';
import { type EditorState, editorReducer, initialEditor } from './policyEditor';
import { issueProblems, syntaxProblems } from './policyLint';
import { useLoad } from './useLoad';

// CodeMirror is loaded with the policy tab only.
const YamlEditor = lazy(() => import('./YamlEditor').then((m) => ({ default: m.YamlEditor })));

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  editor: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS },
});

/** The policy in force; edit, validate (errors and diff), then save a new version. */
export function PolicyPanel() {
  const { t } = useTranslation();
  const [state, reload] = useLoad(['admin', 'policy'], () => getPolicy());
  if (state.kind === 'loading') return <Spinner label={t('admin.loading')} />;
  if (state.kind === 'failed') return <ErrorMessageBar error={state.error} />;
  return <PolicyEditor key={state.value.version} policy={state.value} onSaved={reload} />;
}

function PolicyEditor({ policy, onSaved }: { policy: Policy; onSaved: () => void }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [editor, setEditor] = useState<EditorState>(initialEditor(policy.document));
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const dispatch = (action: Parameters<typeof editorReducer>[1]) => setEditor((s) => editorReducer(s, action));
  // Syntax is checked here at each change; the server's issues belong to the draft it checked (an edit drops them).
  const syntax = useMemo(() => syntaxProblems(editor.draft, t), [editor.draft, t]);
  const problems = useMemo(
    () => [...syntax, ...(editor.check && !editor.check.valid ? issueProblems(editor.draft, editor.check.issues, t) : [])],
    [syntax, editor.check, editor.draft, t],
  );

  async function validate() {
    setBusy(true);
    setFailure(null);
    try {
      const check: PolicyCheck = await checkPolicy(editor.draft);
      dispatch({ type: 'checked', check, draft: editor.draft });
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  }

  async function save() {
    setBusy(true);
    setFailure(null);
    try {
      await savePolicy(editor.draft, comment, policy.version);
      onSaved();
    } catch (error) {
      setFailure(error);
      setBusy(false);
    }
  }

  return (
    <div className={styles.root}>
      {policy.error && (
        <MessageBar intent="error">
          <MessageBarBody>
            <MessageBarTitle>{t('admin.policy.closed')}</MessageBarTitle>
            {policy.error}
          </MessageBarBody>
        </MessageBar>
      )}
      <Text>
        {policy.source === 'file'
          ? t('admin.policy.fromFile')
          : t('admin.policy.fromVersion', { version: policy.version, author: policy.author_email ?? '' })}
      </Text>
      <div className={styles.editor}>
        <Text weight="semibold">{t('admin.policy.document')}</Text>
        <Suspense fallback={<Spinner size="small" label={t('admin.policy.editorLoading')} />}>
          <YamlEditor
            value={editor.draft}
            onChange={(draft) => dispatch({ type: 'edit', draft })}
            label={t('admin.policy.document')}
            readOnly={busy}
            problems={problems}
          />
        </Suspense>
      </div>
      {syntax.length > 0 && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{t('admin.policy.syntaxBlocking')}</MessageBarTitle>
            <ul>
              {syntax.map((problem) => (
                <li key={`${problem.from}:${problem.message}`}>{problem.message}</li>
              ))}
            </ul>
          </MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.actions}>
        <Button onClick={validate} disabled={busy || !editor.dirty || syntax.length > 0}>
          {t('admin.policy.validate')}
        </Button>
        <Button onClick={() => dispatch({ type: 'reset', document: policy.document })} disabled={busy || !editor.dirty}>
          {t('admin.policy.reset')}
        </Button>
      </div>
      {editor.check && !editor.check.valid && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{t('admin.policy.invalid')}</MessageBarTitle>
            <ul>
              {editor.check.errors.map((error) => (
                <li key={error}>{error}</li>
              ))}
            </ul>
          </MessageBarBody>
        </MessageBar>
      )}
      {editor.check?.valid && (
        <>
          <Text weight="semibold">{t('admin.policy.diff')}</Text>
          <DiffView diff={editor.check.diff} label={t('admin.policy.diff')} />
          <Field label={t('admin.policy.comment')}>
            <Input value={comment} onChange={(_, data) => setComment(data.value)} />
          </Field>
          <div className={styles.actions}>
            <Button appearance="primary" onClick={save} disabled={busy || !editor.canSave}>
              {t('admin.policy.save')}
            </Button>
          </div>
        </>
      )}
      {failure !== null && <ErrorMessageBar error={failure} />}
    </div>
  );
}
