import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  ProgressBar,
  Tag,
  TagGroup,
  Text,
  Tooltip,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { Attach24Regular, Dismiss16Regular, Document16Regular } from '@fluentui/react-icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type ChangeEvent, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import {
  ACCEPTED_EXTENSIONS,
  type Attachment,
  acceptedName,
  listAttachments,
  removeAttachment,
  takeHandedOffFiles,
  uploadAttachment,
} from '../../chat/attachments';

const useStyles = makeStyles({
  area: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  uploads: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  upload: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, maxWidth: '420px' },
  tags: { flexWrap: 'wrap', rowGap: tokens.spacingVerticalXS },
  hidden: { display: 'none' },
});

/** Where the composer's files go: a conversation, or (none yet) the caller, who creates one for them. */
export interface AttachTarget {
  threadId: string | null;
  /** Files picked before the conversation exists: create it and hand them over. */
  onFirstFiles?: (files: File[]) => void;
}

interface Upload {
  key: number;
  name: string;
  /** Share of the bytes sent (0 to 1); at 1 the server is reading the file. */
  progress: number;
  error?: string;
}

export interface AttachmentsState {
  stored: Attachment[];
  uploads: Upload[];
  /** True while a file is on its way or being read: a message sent now would not carry it. */
  busy: boolean;
  add: (files: File[]) => void;
  remove: (attachment: Attachment) => void;
  dismiss: (key: number) => void;
}

let nextKey = 0;

/** The conversation's attachments, and the files being sent to it. */
export function useAttachments({ threadId, onFirstFiles }: AttachTarget): AttachmentsState {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const stored = useQuery({
    queryKey: ['attachments', threadId],
    queryFn: () => listAttachments(threadId ?? ''),
    enabled: threadId !== null,
  });
  const [uploads, setUploads] = useState<Upload[]>([]);
  const update = (key: number, change: Partial<Upload>) =>
    setUploads((current) => current.map((upload) => (upload.key === key ? { ...upload, ...change } : upload)));

  const failure = useCallback(
    (name: string, error: unknown) => {
      const detail =
        error instanceof ApiError
          ? error.detail ?? (error.code === 'network' ? t('errors.network') : t('errors.unexpected', { code: error.status }))
          : String(error);
      return t('chat.attach.failed', { name, detail });
    },
    [t],
  );

  const add = useCallback(
    (files: File[]) => {
      const refused = files.filter((file) => !acceptedName(file.name));
      const accepted = files.filter((file) => acceptedName(file.name));
      setUploads((current) => [
        ...current,
        ...refused.map((file) => ({ key: nextKey++, name: file.name, progress: 0, error: t('chat.attach.unsupported', { name: file.name }) })),
      ]);
      if (accepted.length === 0) return;
      if (threadId === null) {
        onFirstFiles?.(accepted);
        return;
      }
      const entries = accepted.map((file) => ({ file, key: nextKey++ }));
      setUploads((current) => [...current, ...entries.map(({ file, key }) => ({ key, name: file.name, progress: 0 }))]);
      // One after the other: the server reads and embeds each file; the conversation stays responsive.
      void (async () => {
        for (const { file, key } of entries) {
          try {
            await uploadAttachment(threadId, file, (progress) => update(key, { progress }));
            setUploads((current) => current.filter((upload) => upload.key !== key));
            await queryClient.invalidateQueries({ queryKey: ['attachments', threadId] });
          } catch (error) {
            update(key, { error: failure(file.name, error) });
          }
        }
      })();
    },
    [threadId, onFirstFiles, queryClient, failure, t],
  );

  // Files picked on the new conversation's page, before this conversation existed: taken from the
  // hand-off once (a second run of the effect finds none), sent once this render is done.
  useEffect(() => {
    if (threadId === null) return;
    const files = takeHandedOffFiles(threadId);
    if (files.length > 0) queueMicrotask(() => add(files));
  }, [threadId, add]);

  const remove = (attachment: Attachment) => {
    if (threadId === null) return;
    removeAttachment(threadId, attachment.id).then(
      () => queryClient.invalidateQueries({ queryKey: ['attachments', threadId] }),
      (error: unknown) =>
        setUploads((current) => [...current, { key: nextKey++, name: attachment.filename, progress: 0, error: failure(attachment.filename, error) }]),
    );
  };

  return {
    stored: stored.data ?? [],
    uploads,
    busy: uploads.some((upload) => !upload.error),
    add,
    remove,
    dismiss: (key) => setUploads((current) => current.filter((upload) => upload.key !== key)),
  };
}

/** The « Joindre un fichier » button and its hidden file input. */
export function AttachButton({ state, disabled }: { state: AttachmentsState; disabled?: boolean }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const picked = (event: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(event.target.files ?? []);
    event.target.value = ''; // the same file may be picked again after a removal
    if (files.length > 0) state.add(files);
  };
  return (
    <>
      <input
        ref={input}
        type="file"
        multiple
        className={styles.hidden}
        accept={ACCEPTED_EXTENSIONS.join(',')}
        onChange={picked}
        data-testid="attach-input"
        tabIndex={-1}
        aria-hidden
      />
      <Tooltip content={t('chat.attach.hint')} relationship="description">
        <Button type="button" appearance="subtle" icon={<Attach24Regular />} disabled={disabled} onClick={() => input.current?.click()}>
          {t('chat.attach.button')}
        </Button>
      </Tooltip>
    </>
  );
}

/** The conversation's files as chips (each removable), the files on their way, and what failed. */
export function AttachmentList({ state }: { state: AttachmentsState }) {
  const styles = useStyles();
  const { t } = useTranslation();
  if (state.stored.length === 0 && state.uploads.length === 0) return null;
  const byId = new Map(state.stored.map((attachment) => [attachment.id, attachment]));
  return (
    <div className={styles.area}>
      {state.stored.length > 0 && (
        <TagGroup
          className={styles.tags}
          aria-label={t('chat.attach.label')}
          onDismiss={(_, { value }) => {
            const attachment = byId.get(value);
            if (attachment) state.remove(attachment);
          }}
        >
          {state.stored.map((attachment) => (
            <Tag
              key={attachment.id}
              value={attachment.id}
              size="small"
              shape="circular"
              appearance="brand"
              icon={<Document16Regular />}
              dismissible
              // A dismissible tag is one button: pressing it (or Delete) removes the file.
              aria-label={t('chat.attach.remove', { name: attachment.filename })}
              data-testid="attachment-chip"
            >
              {attachment.filename}
            </Tag>
          ))}
        </TagGroup>
      )}
      {state.uploads.length > 0 && (
        <div className={styles.uploads}>
          {state.uploads.map((upload) =>
            upload.error ? (
              <MessageBar key={upload.key} intent="error" layout="multiline" data-testid="attachment-error">
                <MessageBarBody>{upload.error}</MessageBarBody>
                <MessageBarActions
                  containerAction={
                    <Button
                      appearance="transparent"
                      icon={<Dismiss16Regular />}
                      aria-label={t('chat.attach.dismiss')}
                      onClick={() => state.dismiss(upload.key)}
                    />
                  }
                />
              </MessageBar>
            ) : (
              <div key={upload.key} className={styles.upload} data-testid="attachment-upload">
                <Text size={200}>
                  {upload.progress < 1
                    ? t('chat.attach.sending', { name: upload.name, percent: Math.round(upload.progress * 100) })
                    : t('chat.attach.reading', { name: upload.name })}
                </Text>
                <ProgressBar
                  value={upload.progress < 1 ? upload.progress : undefined}
                  aria-label={t('chat.attach.progress', { name: upload.name })}
                />
              </div>
            ),
          )}
        </div>
      )}
    </div>
  );
}
