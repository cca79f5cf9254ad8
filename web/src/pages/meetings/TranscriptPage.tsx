import {
  Button,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  type MessageBarIntent,
  Spinner,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { ArrowLeft24Regular } from '@fluentui/react-icons';
import type { TFunction } from 'i18next';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate, useParams } from 'react-router-dom';
import { ApiError, SignInRequired } from '../../api/client';
import { centreInScroller } from '../../components/scroll';
import { type Transcript, citedCueIds, cueElementId, formatCueTime, getTranscript } from '../../meetings/transcript';
import { HOME_PATH } from '../../shell/apps';

const useStyles = makeStyles({
  root: {
    maxWidth: '880px',
    marginInline: 'auto',
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXXL}`,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    '@media (max-width: 640px)': { padding: tokens.spacingHorizontalM },
  },
  back: { alignSelf: 'flex-start' },
  header: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  title: { margin: 0 },
  meta: { margin: 0, color: tokens.colorNeutralForeground2 },
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
  },
  cue: {
    display: 'grid',
    gridTemplateColumns: 'auto minmax(0, 1fr)',
    columnGap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusMedium,
    borderInlineStartWidth: tokens.strokeWidthThick,
    borderInlineStartStyle: 'solid',
    borderInlineStartColor: 'transparent',
    scrollMarginTop: tokens.spacingVerticalXXL,
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
  },
  cited: {
    backgroundColor: tokens.colorBrandBackground2,
    borderInlineStartColor: tokens.colorBrandStroke1,
  },
  time: {
    color: tokens.colorNeutralForeground3,
    fontVariantNumeric: 'tabular-nums',
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    paddingTop: '2px',
  },
  body: { display: 'flex', flexDirection: 'column', gap: '2px' },
  hidden: {
    position: 'absolute',
    width: '1px',
    height: '1px',
    overflow: 'hidden',
    clipPath: 'inset(50%)',
    whiteSpace: 'nowrap',
  },
});

type State = { status: 'loading' } | { status: 'ready'; transcript: Transcript } | { status: 'failed'; error: unknown };

/**
 * `/reunions/:eventId?cues=ID1,ID2`: a meeting's transcript, where a citation links to. The cited cues
 * are highlighted and the first of them is brought into view.
 */
export function TranscriptPage() {
  const styles = useStyles();
  const { t, i18n } = useTranslation();
  const { eventId = '' } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const query = useQuery({ queryKey: ['transcript', eventId], queryFn: () => getTranscript(eventId) });
  const state: State = query.isSuccess
    ? { status: 'ready', transcript: query.data }
    : query.isError && !(query.error instanceof SignInRequired)
      ? { status: 'failed', error: query.error }
      : { status: 'loading' };

  const cited = useMemo(() => new Set(citedCueIds(location.search, location.hash)), [location.search, location.hash]);

  const transcript = state.status === 'ready' ? state.transcript : null;

  // The first cited cue of the transcript comes into view and takes the focus (read out by screen readers).
  useEffect(() => {
    if (!transcript) return;
    const first = transcript.cues.find((cue) => cue.id !== null && cited.has(cue.id));
    const element = first?.id ? document.getElementById(cueElementId(first.id)) : null;
    if (!element) return;
    centreInScroller(element);
    element.focus({ preventScroll: true });
  }, [transcript, cited]);

  const subject = transcript?.meeting.subject?.trim() || t('transcript.untitled');
  useEffect(() => {
    if (transcript) document.title = `${subject} | ${t('app.name')}`;
  }, [transcript, subject, t]);

  // Opened from a conversation: back to it. Opened directly (new tab, bookmark): to the chat.
  const back = () => (location.key === 'default' ? navigate(HOME_PATH) : navigate(-1));
  const citedFound = transcript?.cues.filter((cue) => cue.id !== null && cited.has(cue.id)).length ?? 0;

  return (
    <div className={styles.root}>
      <Button className={styles.back} appearance="subtle" icon={<ArrowLeft24Regular />} onClick={back}>
        {t('transcript.back')}
      </Button>

      {state.status === 'loading' && <Spinner size="small" label={t('transcript.loading')} />}

      {state.status === 'failed' && <TranscriptError error={state.error} t={t} />}

      {transcript && (
        <>
          <header className={styles.header}>
            <Text as="h1" size={600} weight="semibold" className={styles.title}>
              {subject}
            </Text>
            <MeetingMeta transcript={transcript} language={i18n.language} className={styles.meta} t={t} />
          </header>

          {cited.size > 0 && citedFound < cited.size && (
            <MessageBar intent="warning" layout="multiline">
              <MessageBarBody>{t('transcript.citedMissing', { count: cited.size - citedFound })}</MessageBarBody>
            </MessageBar>
          )}

          {transcript.cues.length === 0 ? (
            <Text as="p">{t('transcript.empty')}</Text>
          ) : (
            <ol className={styles.list} aria-label={t('transcript.cuesLabel')}>
              {transcript.cues.map((cue, index) => {
                const isCited = cue.id !== null && cited.has(cue.id);
                return (
                  <li
                    key={cue.id ?? `#${index}`}
                    id={cue.id !== null ? cueElementId(cue.id) : undefined}
                    className={mergeClasses(styles.cue, isCited && styles.cited)}
                    tabIndex={isCited ? -1 : undefined}
                    data-cited={isCited || undefined}
                    data-testid="cue"
                  >
                    <span className={styles.time}>{formatCueTime(cue.start)}</span>
                    <span className={styles.body}>
                      {isCited && <span className={styles.hidden}>{t('transcript.cited')}</span>}
                      {cue.speaker && <Text weight="bold">{cue.speaker}</Text>}
                      <Text>{cue.text}</Text>
                    </span>
                  </li>
                );
              })}
            </ol>
          )}
        </>
      )}
    </div>
  );
}

function MeetingMeta({
  transcript,
  language,
  className,
  t,
}: {
  transcript: Transcript;
  language: string;
  className: string;
  t: TFunction;
}) {
  const { start, end, organizer } = transcript.meeting;
  const when = describeWhen(start, end, language);
  if (!when && !organizer) return null;
  return (
    <Text as="p" size={300} className={className}>
      {when && <time dateTime={start ?? undefined}>{when}</time>}
      {when && organizer && ' · '}
      {organizer && t('transcript.organizer', { organizer })}
    </Text>
  );
}

/** « jeudi 19 juin 2025 à 14:00 – 16:00 », or null without a valid start. */
function describeWhen(start: string | null | undefined, end: string | null | undefined, language: string): string | null {
  const from = start ? new Date(start) : null;
  if (!from || Number.isNaN(from.getTime())) return null;
  const day = new Intl.DateTimeFormat(language, { dateStyle: 'full', timeStyle: 'short' }).format(from);
  const to = end ? new Date(end) : null;
  if (!to || Number.isNaN(to.getTime())) return day;
  return `${day} – ${new Intl.DateTimeFormat(language, { timeStyle: 'short' }).format(to)}`;
}

const ERROR_CODES = ['meeting_not_found', 'not_transcribed', 'm365_unavailable'] as const;
type KnownError = (typeof ERROR_CODES)[number];

function TranscriptError({ error, t }: { error: unknown; t: TFunction }) {
  const code = error instanceof ApiError && (ERROR_CODES as readonly string[]).includes(error.code) ? (error.code as KnownError) : null;
  const intent: MessageBarIntent = code === 'not_transcribed' ? 'info' : code === 'm365_unavailable' ? 'warning' : 'error';
  let text: string;
  if (error instanceof ApiError && error.detail) text = error.detail;
  else if (code) text = t(`transcript.errors.${code}.body`);
  else if (error instanceof ApiError && error.code === 'network') text = t('errors.network');
  else text = t('errors.unexpected', { code: error instanceof ApiError ? error.status : String(error) });
  return (
    <MessageBar intent={intent} layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{code ? t(`transcript.errors.${code}.title`) : t('errors.title')}</MessageBarTitle>
        {text}
      </MessageBarBody>
    </MessageBar>
  );
}
