import { Badge, Button, Spinner, Tab, TabList, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { ArrowUpload20Regular } from '@fluentui/react-icons';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { PAGE_ROOT } from '../pageStyles';
import { DocumentReview } from './DocumentReview';
import { IN_PROGRESS, type IntakeSummary, listQueue, listRecent, uploadScans } from './api';

const useStyles = makeStyles({
  root: PAGE_ROOT,
  header: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  body: { display: 'grid', gridTemplateColumns: '300px 1fr', gap: tokens.spacingHorizontalL, minHeight: 0 },
  list: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, overflow: 'auto' },
  item: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: tokens.spacingVerticalXXS,
    padding: tokens.spacingVerticalS,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    background: tokens.colorNeutralBackground1,
    textAlign: 'left',
    cursor: 'pointer',
  },
  selected: { border: `2px solid ${tokens.colorBrandStroke1}`, background: tokens.colorBrandBackground2 },
  error: { color: tokens.colorPaletteRedForeground1 },
});

type TabId = 'queue' | 'recent';

/** Courrier entrant: import scans, then validate the documents the pipeline could not settle alone. */
export function CourrierPage() {
  const styles = useStyles();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { '*': selected = '' } = useParams();
  const [tab, setTab] = useState<TabId>('queue');
  const [documents, setDocuments] = useState<IntakeSummary[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const load = useCallback(() => {
    (tab === 'queue' ? listQueue() : listRecent()).then(
      (loaded) => {
        setDocuments(loaded);
        setError(null);
      },
      (failure: unknown) => setError(failure instanceof ApiError ? (failure.detail ?? failure.code) : String(failure)),
    );
  }, [tab]);
  useEffect(load, [load]);
  // Documents still being read or integrated: look again shortly (the queue fills as they settle).
  // `watching` counts the looks, so that each one arms the next while something still moves.
  const [watching, setWatching] = useState(0);
  useEffect(() => {
    if (!watching) return;
    const timer = setTimeout(() => {
      listRecent().then(
        (recent) => {
          const moving = recent.some((document) => IN_PROGRESS.includes(document.status));
          load();
          setWatching((count) => (moving ? count + 1 : 0));
        },
        () => setWatching((count) => count + 1),
      );
    }, 1500);
    return () => clearTimeout(timer);
  }, [watching, load]);

  const select = useCallback((id: string) => navigate(`/courrier/${id}`), [navigate]);

  const onFiles = async (files: FileList | null) => {
    if (!files?.length) return;
    setError(null);
    try {
      const results = await uploadScans([...files]);
      const duplicates = results.filter((result) => result.duplicate).length;
      const imported = t('intake.imported', { count: results.length });
      setNotice(duplicates ? `${imported} — ${t('intake.duplicates', { count: duplicates })}` : imported);
      setWatching((count) => count + 1);
      load();
    } catch (failure) {
      setError(failure instanceof ApiError ? (failure.detail ?? failure.code) : String(failure));
    } finally {
      if (input.current) input.current.value = '';
    }
  };

  const onDecided = useCallback(() => {
    const rest = (documents ?? []).filter((document) => document.id !== selected);
    const index = (documents ?? []).findIndex((document) => document.id === selected);
    load();
    if (tab === 'queue') {
      const next = rest[Math.min(Math.max(index, 0), rest.length - 1)];
      if (next) select(next.id);
    }
  }, [documents, selected, load, select, tab]);

  // Keyboard first: j / k (or ↓ / ↑ on the list) go through the documents one after another.
  const onKeyDown = (event: React.KeyboardEvent) => {
    const target = event.target as HTMLElement;
    if (target.closest('input, textarea, [role="radiogroup"]') || !documents?.length) return;
    const step = event.key === 'j' || event.key === 'ArrowDown' ? 1 : event.key === 'k' || event.key === 'ArrowUp' ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const index = documents.findIndex((document) => document.id === selected);
    const next = documents[Math.min(Math.max(index + step, 0), documents.length - 1)];
    if (!next) return;
    select(next.id);
    document.getElementById(`intake-item-${next.id}`)?.focus();
  };

  return (
    <div className={styles.root} onKeyDown={onKeyDown}>
      <div className={styles.header}>
        <Text as="h1" size={600} weight="semibold">
          {t('intake.title')}
        </Text>
        <input
          ref={input}
          type="file"
          multiple
          hidden
          accept=".pdf,.png,.jpg,.jpeg,.tif,.tiff,application/pdf,image/png,image/jpeg,image/tiff"
          data-testid="intake-upload"
          onChange={(event) => void onFiles(event.target.files)}
        />
        <Button icon={<ArrowUpload20Regular />} onClick={() => input.current?.click()}>
          {t('intake.upload')}
        </Button>
        {notice && <Text role="status">{notice}</Text>}
      </div>
      <TabList selectedValue={tab} onTabSelect={(_, data) => setTab(data.value as TabId)}>
        <Tab value="queue">{t('intake.tabs.queue', { count: tab === 'queue' ? (documents?.length ?? 0) : 0 })}</Tab>
        <Tab value="recent">{t('intake.tabs.recent')}</Tab>
      </TabList>
      {error && (
        <Text role="alert" className={styles.error}>
          {error}
        </Text>
      )}
      {!documents && !error && <Spinner label={t('intake.loading')} />}
      {documents && (
        <div className={styles.body}>
          {/* A list only when there is something in it (an empty `list` role is an accessibility error). */}
          <div
            className={styles.list}
            {...(documents.length ? { role: 'list', 'aria-label': t('intake.tabs.queue', { count: documents.length }) } : {})}
            data-testid="intake-list"
          >
            {!documents.length && <Text>{t(tab === 'queue' ? 'intake.emptyQueue' : 'intake.emptyRecent')}</Text>}
            {documents.map((document) => (
              <button
                key={document.id}
                id={`intake-item-${document.id}`}
                type="button"
                role="listitem"
                aria-current={document.id === selected ? 'true' : undefined}
                className={mergeClasses(styles.item, document.id === selected && styles.selected)}
                onClick={() => select(document.id)}
                data-testid="intake-item"
              >
                <Text weight="semibold">{document.patient ?? document.file_name}</Text>
                <Text size={200}>
                  {document.document_type ? t(`intake.types.${document.document_type}`, { defaultValue: document.document_type }) : document.file_name}
                </Text>
                <Badge appearance="tint" size="small" color={document.status === 'integrated' ? 'success' : 'warning'}>
                  {document.exception && document.status === 'to_validate'
                    ? t(`intake.exception.${document.exception}`, { defaultValue: document.exception })
                    : t(`intake.status.${document.status}`)}
                </Badge>
              </button>
            ))}
          </div>
          <div>
            {selected ? <DocumentReview key={selected} id={selected} onDecided={onDecided} /> : <Text>{t('intake.pick')}</Text>}
          </div>
        </div>
      )}
    </div>
  );
}
