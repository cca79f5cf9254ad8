import { Button, Field, Select, Text, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { Send24Regular, Stop24Regular } from '@fluentui/react-icons';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, type KeyboardEvent, forwardRef, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router-dom';
import { getChatModels } from '../../chat/api';
import { MAX_MESSAGE_CHARS, WORKFLOWS, type Workflow } from '../../chat/types';
import type { OutgoingMessage } from '../../chat/useThreadRuns';
import { AttachButton, type AttachTarget, AttachmentList, useAttachments } from './AttachmentBar';
import { useDraft } from './useDraft';

/** The general assistant's id (a conversation with no assistant is with it). */
const GENERAL_ASSISTANT_ID = 'ariane';

/** The counter appears when the message comes this close to the limit. */
const COUNTER_FROM = MAX_MESSAGE_CHARS - 500;

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL} ${tokens.spacingVerticalM}`,
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  input: { width: '100%' },
  textarea: { maxHeight: '40dvh' },
  row: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  select: { minWidth: '200px' },
  spacer: { flexGrow: 1 },
  hint: { color: tokens.colorNeutralForeground3, '@media (max-width: 640px)': { display: 'none' } },
  counter: { color: tokens.colorNeutralForeground3 },
  over: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
});

interface ComposerProps {
  running: boolean;
  onSend: (outgoing: OutgoingMessage) => Promise<boolean>;
  onStop: () => void;
  /** Who answers: the placeholder asks them (Ariane when not said). */
  assistantName?: string;
  /** The workflows the assistant offers: only those are offered (none or one: no picker). */
  workflows?: readonly string[];
  /** The assistant the conversation is with (the general one when unset): its models are offered. */
  assistantId?: string | null;
  /** Told the model picked (empty: automatic), so that « Régénérer » asks it too. */
  onModelChange?: (model: string) => void;
  /** Where attached files go (no attach button without it). */
  attach?: AttachTarget;
}

/**
 * Multi-line message box: Enter sends, Shift+Enter goes to the line; files to attach, shown as chips;
 * the workflow and model pickers (each shown when there is a choice); Send or Stop.
 */
export const Composer = forwardRef<HTMLTextAreaElement, ComposerProps>(function Composer(
  { running, onSend, onStop, assistantName, workflows, assistantId, onModelChange, attach },
  ref,
) {
  const styles = useStyles();
  const { t } = useTranslation();
  const [text, setText] = useDraft(useLocation().pathname);
  const [workflow, setWorkflow] = useState<Workflow | ''>('');
  const [picked, setPicked] = useState('');
  const offered = WORKFLOWS.filter((id) => workflows === undefined || workflows.includes(id));
  // The models policy allows with this assistant and its data: a choice only when there are several.
  const assistant = assistantId || GENERAL_ASSISTANT_ID;
  const models = useQuery({ queryKey: ['chat-models', assistant], queryFn: () => getChatModels(assistant), staleTime: 60_000 });
  const modelOptions = models.data ?? [];
  const model = modelOptions.some((option) => option.id === picked) ? picked : '';
  useEffect(() => onModelChange?.(model), [model, onModelChange]);
  const length = text.trim().length;
  const tooLong = length > MAX_MESSAGE_CHARS;
  const attachments = useAttachments(attach ?? { threadId: null });
  // A message sent while a file is on its way would not carry it: sending waits for the file.
  const canSend = !running && length > 0 && !tooLong && !attachments.busy;

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (!canSend) return;
    const message = text.trim();
    setText('');
    const sent = await onSend({ message, ...(workflow ? { workflow } : {}), ...(model ? { model } : {}) });
    if (!sent) setText((current) => current || message); // keep what could not be sent
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    }
  };

  return (
    <form className={styles.root} onSubmit={(event) => void submit(event)}>
      {attach && <AttachmentList state={attachments} />}
      <Field
        validationState={tooLong ? 'error' : 'none'}
        validationMessage={tooLong ? t('chat.composer.tooLong', { max: MAX_MESSAGE_CHARS }) : undefined}
      >
        <Textarea
          ref={ref}
          className={styles.input}
          textarea={{ className: styles.textarea }}
          resize="vertical"
          rows={2}
          value={text}
          placeholder={t('chat.composer.placeholder', { name: assistantName ?? t('app.name') })}
          onChange={(_, data) => setText(data.value)}
          onKeyDown={onKeyDown}
          aria-label={t('chat.composer.label')}
          aria-describedby="composer-hint"
        />
      </Field>
      <div className={styles.row}>
        {/* Enabled during a run too: a file attached meanwhile goes with the next message. */}
        {attach && <AttachButton state={attachments} />}
        {offered.length > 1 && (
          <Select
            className={styles.select}
            aria-label={t('chat.workflow.label')}
            value={workflow}
            onChange={(_, data) => setWorkflow(data.value as Workflow | '')}
          >
            <option value="">{t('chat.workflow.auto')}</option>
            {offered.map((id) => (
              <option key={id} value={id}>
                {t(`chat.workflow.${id}`)}
              </option>
            ))}
          </Select>
        )}
        {modelOptions.length > 1 && (
          <Select
            className={styles.select}
            aria-label={t('chat.model.label')}
            value={model}
            onChange={(_, data) => setPicked(data.value)}
          >
            <option value="">{t('chat.model.auto')}</option>
            {modelOptions.map((option) => (
              <option key={option.id} value={option.id}>
                {option.label}
              </option>
            ))}
          </Select>
        )}
        <Text size={200} id="composer-hint" className={styles.hint}>
          {t('chat.composer.hint')}
        </Text>
        <span className={styles.spacer} />
        {length >= COUNTER_FROM && (
          <Text size={200} className={tooLong ? styles.over : styles.counter} aria-live="polite">
            {t('chat.composer.counter', { count: length, max: MAX_MESSAGE_CHARS })}
          </Text>
        )}
        {running ? (
          <Button type="button" icon={<Stop24Regular />} onClick={onStop}>
            {t('chat.composer.stop')}
          </Button>
        ) : (
          <Button type="submit" appearance="primary" icon={<Send24Regular />} disabled={!canSend}>
            {t('chat.composer.send')}
          </Button>
        )}
      </div>
    </form>
  );
});
