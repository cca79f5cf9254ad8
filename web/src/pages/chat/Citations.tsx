import { Button, Link, Text, Tooltip, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowDownload16Regular, Attach16Regular } from '@fluentui/react-icons';
import { createContext, useContext, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { downloadAttachment } from '../../chat/attachments';
import { describeLocation } from '../../chat/citations';
import { citationHref } from '../../chat/documentLinks';
import { useFollowInApp } from '../../components/inAppLink';
import type { Citation } from '../../chat/types';

const useStyles = makeStyles({
  marker: {
    fontSize: tokens.fontSizeBase100,
    fontWeight: tokens.fontWeightSemibold,
    color: tokens.colorBrandForegroundLink,
    textDecorationLine: 'none',
    paddingInline: '1px',
    borderRadius: tokens.borderRadiusSmall,
    ':hover': { textDecorationLine: 'underline' },
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
  },
  preview: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, maxWidth: '320px' },
  sources: { marginTop: tokens.spacingVerticalM },
  heading: { margin: `0 0 ${tokens.spacingVerticalXS}` },
  list: { margin: 0, paddingInlineStart: tokens.spacingHorizontalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  item: { scrollMarginTop: tokens.spacingVerticalXXL },
  location: { display: 'block', color: tokens.colorNeutralForeground3 },
  quote: {
    margin: `${tokens.spacingVerticalXXS} 0 0`,
    paddingInlineStart: tokens.spacingHorizontalS,
    borderLeft: `${tokens.strokeWidthThick} solid ${tokens.colorNeutralStroke2}`,
    color: tokens.colorNeutralForeground2,
    fontStyle: 'italic',
  },
});

/** The conversation whose answers are shown: its attached files can be downloaded from their citations. */
export const AttachmentThread = createContext<string | null>(null);

/** The id of a citation's entry in the « Sources » list of one answer. */
export function sourceId(turnKey: string, index: number): string {
  return `source-${turnKey}-${index}`;
}

/** A `[n]` marker: a superscript link to the source, with a preview on hover and focus. */
export function FootnoteMarker({ citation, turnKey }: { citation: Citation; turnKey: string }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const url = citationHref(citation);
  const followInApp = useFollowInApp();
  return (
    <sup>
      <Tooltip relationship="description" withArrow content={<CitationPreview citation={citation} />}>
        <a
          className={styles.marker}
          href={url ?? `#${sourceId(turnKey, citation.index)}`}
          aria-label={t('chat.citationLabel', { index: citation.index, title: citation.title })}
          onClick={followInApp(url)}
          {...(url && /^https?:/i.test(url) ? { target: '_blank', rel: 'noopener noreferrer' } : {})}
        >
          [{citation.index}]
        </a>
      </Tooltip>
    </sup>
  );
}

function CitationPreview({ citation }: { citation: Citation }) {
  const styles = useStyles();
  const { t } = useTranslation();
  return (
    <span className={styles.preview}>
      <Text weight="semibold">{citation.title}</Text>
      <Text size={200}>
        {citation.source === 'attachment' ? `${t('chat.attach.source')} · ` : ''}
        {describeLocation(citation)}
      </Text>
      <Text size={200} italic>
        {t('chat.quote', { quote: citation.quote })}
      </Text>
    </span>
  );
}

/** The « Sources » under an answer: title, where (speaker and time, or page), the verbatim quote. */
export function SourcesList({ citations, turnKey }: { citations: Citation[]; turnKey: string }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const followInApp = useFollowInApp();
  const headingId = `sources-${turnKey}`;
  return (
    <section className={styles.sources} aria-labelledby={headingId}>
      <Text as="h3" id={headingId} size={300} weight="semibold" block className={styles.heading}>
        {t('chat.sources')}
      </Text>
      <ol className={styles.list}>
        {citations.map((citation) => {
          const url = citationHref(citation);
          return (
            <li
              key={citation.index}
              id={sourceId(turnKey, citation.index)}
              value={citation.index}
              className={styles.item}
              data-testid="citation"
            >
              {citation.source === 'attachment' ? (
                <AttachmentTitle citation={citation} />
              ) : url ? (
                <Link href={url} inline onClick={followInApp(url)} {...(/^https?:/i.test(url) ? { target: '_blank', rel: 'noopener noreferrer' } : {})}>
                  {citation.title}
                </Link>
              ) : (
                <Text weight="semibold">{citation.title}</Text>
              )}
              <Text size={200} className={styles.location} data-testid="citation-location">
                {describeLocation(citation)}
              </Text>
              <blockquote className={styles.quote} data-testid="citation-quote">
                {t('chat.quote', { quote: citation.quote })}
              </blockquote>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** An attached file's name, said to be one, with a button that downloads it (the user's own copy). */
function AttachmentTitle({ citation }: { citation: Citation }) {
  const { t } = useTranslation();
  const threadId = useContext(AttachmentThread);
  const [failed, setFailed] = useState(false);
  return (
    <span>
      <Attach16Regular aria-hidden />{' '}
      <Text weight="semibold">{citation.title}</Text>{' '}
      <Text size={200}>({t('chat.attach.source')})</Text>
      {threadId && (
        <Button
          size="small"
          appearance="transparent"
          icon={<ArrowDownload16Regular />}
          aria-label={t('chat.attach.download', { name: citation.title })}
          onClick={() => downloadAttachment(threadId, citation.id, citation.title).then(() => setFailed(false), () => setFailed(true))}
        />
      )}
      {failed && (
        <Text size={200} role="alert">
          {t('chat.attach.downloadFailed')}
        </Text>
      )}
    </span>
  );
}
