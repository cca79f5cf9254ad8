import {
  Button,
  Link,
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
import { ArrowLeft24Regular, Open16Regular } from '@fluentui/react-icons';
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { ApiError, SignInRequired } from '../../api/client';
import { opensInViewer } from '../../chat/documentLinks';
import { safeHref } from '../../chat/markdown';
import { centreInScroller } from '../../components/scroll';
import { getDocument, isViewedSource, sectionElementId } from '../../documents/api';
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
  title: { margin: 0, overflowWrap: 'anywhere' },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  section: {
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusMedium,
    borderInlineStartWidth: tokens.strokeWidthThick,
    borderInlineStartStyle: 'solid',
    borderInlineStartColor: 'transparent',
    scrollMarginTop: tokens.spacingVerticalXXL,
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
  },
  cited: { backgroundColor: tokens.colorBrandBackground2, borderInlineStartColor: tokens.colorBrandStroke1 },
  locator: { margin: `0 0 ${tokens.spacingVerticalXS}`, color: tokens.colorNeutralForeground2 },
  text: { margin: 0, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' },
  hidden: { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clipPath: 'inset(50%)', whiteSpace: 'nowrap' },
});

/**
 * `/documents/:source/:id?at=page%209`: a cited document's text, page by page (PDF) or section by
 * section (DOCX), where a citation links to. The cited page is highlighted and brought into view.
 */
export function DocumentPage() {
  const styles = useStyles();
  const { t } = useTranslation();
  const { source = '', id = '' } = useParams();
  const [params] = useSearchParams();
  const at = params.get('at');
  const location = useLocation();
  const navigate = useNavigate();
  const known = isViewedSource(source);
  const query = useQuery({
    queryKey: ['document', source, id],
    queryFn: () => getDocument(known ? source : 'knowledge', id),
    enabled: known,
  });
  const document_ = query.data ?? null;
  const citedIndex = document_ && at ? document_.sections.findIndex((section) => section.locator === at) : -1;

  useEffect(() => {
    if (citedIndex < 0) return;
    const element = document.getElementById(sectionElementId(citedIndex));
    if (!element) return;
    centreInScroller(element);
    element.focus({ preventScroll: true });
  }, [citedIndex, document_]);

  useEffect(() => {
    if (document_) document.title = `${document_.title} | ${t('app.name')}`;
  }, [document_, t]);

  const back = () => (location.key === 'default' ? navigate(HOME_PATH) : navigate(-1));
  const original = document_?.url && !opensInViewer() ? safeHref(document_.url) : null;
  const failed = !known || (query.isError && !(query.error instanceof SignInRequired));

  return (
    <div className={styles.root}>
      <Button className={styles.back} appearance="subtle" icon={<ArrowLeft24Regular />} onClick={back}>
        {t('documentViewer.back')}
      </Button>

      {!failed && !document_ && <Spinner size="small" label={t('documentViewer.loading')} />}

      {failed && <DocumentError error={known ? query.error : new ApiError(404, 'document_not_found', '')} t={t} />}

      {document_ && (
        <>
          <Text as="h1" size={600} weight="semibold" className={styles.title}>
            {document_.title}
          </Text>
          {original && (
            <Link href={original} target="_blank" rel="noopener noreferrer">
              {t('documentViewer.original')} <Open16Regular />
            </Link>
          )}
          {at && citedIndex < 0 && (
            <MessageBar intent="warning" layout="multiline">
              <MessageBarBody>{t('documentViewer.citedMissing', { locator: at })}</MessageBarBody>
            </MessageBar>
          )}
          {document_.sections.length === 0 ? (
            <Text as="p">{t('documentViewer.empty')}</Text>
          ) : (
            <ol className={styles.list} aria-label={t('documentViewer.sectionsLabel')}>
              {document_.sections.map((section, index) => {
                const isCited = index === citedIndex;
                return (
                  <li
                    key={`${index}-${section.locator}`}
                    id={sectionElementId(index)}
                    className={mergeClasses(styles.section, isCited && styles.cited)}
                    tabIndex={isCited ? -1 : undefined}
                    data-cited={isCited || undefined}
                    data-testid="document-section"
                  >
                    <Text as="h2" size={300} weight="semibold" block className={styles.locator}>
                      {isCited && <span className={styles.hidden}>{t('documentViewer.cited')}</span>}
                      {section.locator}
                    </Text>
                    <Text as="p" className={styles.text}>
                      {section.text}
                    </Text>
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

const ERROR_CODES = ['document_not_found', 'm365_unavailable'] as const;
type KnownError = (typeof ERROR_CODES)[number];

function DocumentError({ error, t }: { error: unknown; t: TFunction }) {
  const code = error instanceof ApiError && (ERROR_CODES as readonly string[]).includes(error.code) ? (error.code as KnownError) : null;
  const intent: MessageBarIntent = code === 'm365_unavailable' ? 'warning' : 'error';
  let text: string;
  if (error instanceof ApiError && error.detail) text = error.detail;
  else if (code) text = t(`documentViewer.errors.${code}.body`);
  else if (error instanceof ApiError && error.code === 'network') text = t('errors.network');
  else text = t('errors.unexpected', { code: error instanceof ApiError ? error.status : String(error) });
  return (
    <MessageBar intent={intent} layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{code ? t(`documentViewer.errors.${code}.title`) : t('errors.title')}</MessageBarTitle>
        {text}
      </MessageBarBody>
    </MessageBar>
  );
}
