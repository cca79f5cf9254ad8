import {
  Button,
  Field,
  Popover,
  PopoverSurface,
  PopoverTrigger,
  Textarea,
  Tooltip,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import {
  ArrowClockwise20Regular,
  Checkmark20Regular,
  Copy20Regular,
  ThumbDislike20Filled,
  ThumbDislike20Regular,
  ThumbLike20Filled,
  ThumbLike20Regular,
} from '@fluentui/react-icons';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Feedback, Rating } from '../../chat/api';

const useStyles = makeStyles({
  root: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXXS, flexWrap: 'wrap' },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, width: 'min(320px, 80vw)' },
  formActions: { display: 'flex', justifyContent: 'flex-end', gap: tokens.spacingHorizontalS },
});

const COMMENT_MAX = 2000;

interface AnswerActionsProps {
  answer: string;
  feedback?: Feedback;
  /** A rating (with a comment), or null to withdraw it. */
  onFeedback: (rating: Rating | null, comment: string) => Promise<void>;
  /** Ask the same request again (a new run; both answers stay). Absent: not offered here. */
  onRegenerate?: () => void;
}

/** Under a finished answer: copy it, rate it (thumbs, with a comment), ask again. */
export function AnswerActions({ answer, feedback, onFeedback, onRegenerate }: AnswerActionsProps) {
  const styles = useStyles();
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const [commenting, setCommenting] = useState(false);

  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);

  const copy = async () => {
    await navigator.clipboard.writeText(answer);
    setCopied(true);
  };
  const rate = (rating: Rating) => {
    if (feedback?.rating === rating) return void onFeedback(null, '');
    if (rating === 'down') return setCommenting(true);
    void onFeedback('up', '');
  };

  return (
    <div className={styles.root} role="group" aria-label={t('chat.actions.label')} data-testid="answer-actions">
      <Tooltip content={copied ? t('chat.actions.copied') : t('chat.actions.copy')} relationship="label">
        <Button appearance="subtle" size="small" icon={copied ? <Checkmark20Regular /> : <Copy20Regular />} onClick={() => void copy()} />
      </Tooltip>
      <Tooltip content={t('chat.actions.good')} relationship="label">
        <Button
          appearance="subtle"
          size="small"
          aria-pressed={feedback?.rating === 'up'}
          icon={feedback?.rating === 'up' ? <ThumbLike20Filled /> : <ThumbLike20Regular />}
          onClick={() => rate('up')}
        />
      </Tooltip>
      <Popover open={commenting} onOpenChange={(_, data) => setCommenting(data.open)}>
        <PopoverTrigger disableButtonEnhancement>
          <Tooltip content={t('chat.actions.bad')} relationship="label">
            <Button
              appearance="subtle"
              size="small"
              aria-pressed={feedback?.rating === 'down'}
              icon={feedback?.rating === 'down' ? <ThumbDislike20Filled /> : <ThumbDislike20Regular />}
              onClick={() => rate('down')}
            />
          </Tooltip>
        </PopoverTrigger>
        <PopoverSurface aria-label={t('chat.actions.commentTitle')}>
          <CommentForm
            onCancel={() => setCommenting(false)}
            onSubmit={async (comment) => {
              await onFeedback('down', comment);
              setCommenting(false);
            }}
          />
        </PopoverSurface>
      </Popover>
      {onRegenerate && (
        <Tooltip content={t('chat.actions.regenerate')} relationship="label">
          <Button appearance="subtle" size="small" icon={<ArrowClockwise20Regular />} onClick={onRegenerate} />
        </Tooltip>
      )}
    </div>
  );
}

function CommentForm({ onCancel, onSubmit }: { onCancel: () => void; onSubmit: (comment: string) => Promise<void> }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const [comment, setComment] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void onSubmit(comment.trim());
  };
  return (
    <form className={styles.form} onSubmit={submit}>
      <Field label={t('chat.actions.commentLabel')} hint={t('chat.actions.commentHint')}>
        {/* Opened to write in: the focus goes to the comment (Escape closes it). */}
        <Textarea autoFocus value={comment} maxLength={COMMENT_MAX} onChange={(_, data) => setComment(data.value)} />
      </Field>
      <div className={styles.formActions}>
        <Button appearance="secondary" onClick={onCancel}>
          {t('chat.cancel')}
        </Button>
        <Button type="submit" appearance="primary">
          {t('chat.actions.send')}
        </Button>
      </div>
    </form>
  );
}
