import { Button, Field, MessageBar, MessageBarBody, Text, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { Send24Regular } from '@fluentui/react-icons';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SignInRequired } from '../../api/client';
import { type TestRun, STARTED, applyEvent } from '../../assistants/testRun';
import type { Assistant } from '../../assistants/types';
import { createThread, readRunEvents, startRun } from '../../chat/api';
import { titleFrom } from '../../chat/types';
import { ErrorMessageBar } from '../../components/ErrorMessageBar';
import { Answer } from '../chat/Answer';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  answer: {
    padding: tokens.spacingHorizontalM,
    backgroundColor: tokens.colorNeutralBackground2,
    borderRadius: tokens.borderRadiusMedium,
  },
  tools: { margin: 0, paddingInlineStart: tokens.spacingHorizontalL, color: tokens.colorNeutralForeground2 },
});

/** Try the saved assistant: one message in a new conversation, the answer as it streams. */
export function TestPane({ assistant }: { assistant: Assistant }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const [message, setMessage] = useState(assistant.starter_prompts[0] ?? '');
  const [run, setRun] = useState<TestRun | null>(null);
  const [error, setError] = useState<unknown>(null);
  const abort = useRef<AbortController | null>(null);

  const send = async () => {
    const text = message.trim();
    if (!text) return;
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setError(null);
    setRun(STARTED);
    try {
      const thread = await createThread(titleFrom(`${t('assistants.test.titlePrefix')} ${text}`), undefined, assistant.id);
      const { response } = await startRun(thread.id, { message: text }, controller.signal);
      await readRunEvents(response, (event) => setRun((current) => applyEvent(current ?? STARTED, event)));
    } catch (failure) {
      if (!(failure instanceof SignInRequired) && !controller.signal.aborted) setError(failure);
      setRun(null);
    }
  };

  const running = run?.status === 'running';
  return (
    <section className={styles.root} aria-labelledby="assistant-test">
      <Text as="h2" id="assistant-test" size={500} weight="semibold">
        {t('assistants.test.title')}
      </Text>
      <Text size={200}>{t('assistants.test.hint', { version: assistant.version })}</Text>
      <Field label={t('assistants.test.message')}>
        <Textarea value={message} maxLength={4000} onChange={(_, data) => setMessage(data.value)} />
      </Field>
      <Button appearance="primary" icon={<Send24Regular />} disabled={running || !message.trim()} onClick={() => void send()}>
        {t('assistants.test.send')}
      </Button>
      {error !== null && <ErrorMessageBar error={error} />}
      {run && (
        <div className={styles.answer} aria-live="polite" aria-busy={running}>
          {run.tools.length > 0 && (
            <ul className={styles.tools}>
              {run.tools.map((tool, index) => (
                <li key={index}>{tool.label}</li>
              ))}
            </ul>
          )}
          {run.error ? (
            <MessageBar intent="error" layout="multiline">
              <MessageBarBody>{run.error.detail}</MessageBarBody>
            </MessageBar>
          ) : (
            <Answer text={run.answer || (running ? t('assistants.test.waiting') : '')} citations={run.citations} turnKey="test" />
          )}
          {run.citations.length > 0 && (
            <ol>
              {run.citations.map((citation) => (
                <li key={citation.index}>
                  {citation.title} — {citation.locator} : « {citation.quote} »
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </section>
  );
}
