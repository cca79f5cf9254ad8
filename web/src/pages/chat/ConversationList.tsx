import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  SearchBox,
  Spinner,
  Text,
  Tooltip,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { Compose24Regular, Delete20Regular, Edit20Regular, MoreHorizontal20Regular } from '@fluentui/react-icons';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { type SearchHit, searchThreads } from '../../chat/api';
import { groupByDate } from '../../chat/groups';
import type { Thread } from '../../chat/types';
import { ErrorMessageBar } from '../../components/ErrorMessageBar';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', minHeight: 0, height: '100%' },
  header: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalM} ${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
  },
  title: { margin: 0 },
  list: { listStyleType: 'none', margin: 0, padding: `0 ${tokens.spacingHorizontalS}`, overflowY: 'auto', flexGrow: 1 },
  item: {
    position: 'relative',
    display: 'flex',
    alignItems: 'center',
    borderRadius: tokens.borderRadiusMedium,
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
  },
  active: { backgroundColor: tokens.colorNeutralBackground1Selected, ':hover': { backgroundColor: tokens.colorNeutralBackground1Selected } },
  link: {
    flexGrow: 1,
    minWidth: 0,
    display: 'flex',
    flexDirection: 'column',
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalS}`,
    color: tokens.colorNeutralForeground1,
    textDecorationLine: 'none',
    borderRadius: tokens.borderRadiusMedium,
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px' },
  },
  name: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  date: { color: tokens.colorNeutralForeground3, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  groupList: { listStyleType: 'none', margin: 0, padding: 0 },
  search: { margin: `0 ${tokens.spacingHorizontalM} ${tokens.spacingVerticalS}`, maxWidth: 'none' },
  group: {
    margin: 0,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalS} ${tokens.spacingVerticalXXS}`,
    color: tokens.colorNeutralForeground3,
    fontSize: tokens.fontSizeBase200,
    fontWeight: tokens.fontWeightSemibold,
  },
  snippet: { color: tokens.colorNeutralForeground2, overflowWrap: 'anywhere' },
  error: { padding: `0 ${tokens.spacingHorizontalS} ${tokens.spacingVerticalS}` },
  empty: { padding: tokens.spacingHorizontalL, color: tokens.colorNeutralForeground3 },
});

interface ConversationListProps {
  threads: Thread[] | null;
  activeId: string | undefined;
  /** Names of the assistants the user may use, by id, to say who each conversation is with. */
  assistantNames?: Record<string, string>;
  creating: boolean;
  onCreate: () => void;
  onRename: (id: string, title: string) => Promise<boolean>;
  onDelete: (id: string) => Promise<boolean>;
  /** A failed list, create, rename or delete. */
  error?: ReactNode;
}

const SEARCH_DELAY_MS = 300;

/**
 * The chat list of Teams: newest first in date groups, each with its assistant, rename and delete;
 * a search box over the user's conversations (titles, requests and answers) above it.
 */
export function ConversationList({
  threads,
  activeId,
  assistantNames = {},
  creating,
  onCreate,
  onRename,
  onDelete,
  error,
}: ConversationListProps) {
  const styles = useStyles();
  const { t, i18n } = useTranslation();
  const [renaming, setRenaming] = useState<Thread | null>(null);
  const [deleting, setDeleting] = useState<Thread | null>(null);
  const [typed, setTyped] = useState('');
  const query = useDebounced(typed.trim(), SEARCH_DELAY_MS);
  const search = useQuery({ queryKey: ['search', query], queryFn: () => searchThreads(query), enabled: query.length > 0 });
  const withWhom = (thread: { assistant_id: string | null }) =>
    thread.assistant_id && thread.assistant_id !== 'ariane' ? assistantNames[thread.assistant_id] ?? thread.assistant_id : null;
  const rows = threads === null ? [] : groupByDate(threads, new Date());
  return (
    // A region, not a second `nav`: the app bar is the page's navigation landmark.
    <section className={styles.root} aria-labelledby="conversations-title">
      <div className={styles.header}>
        <Text as="h2" id="conversations-title" size={500} weight="semibold" className={styles.title}>
          {t('chat.conversations')}
        </Text>
        <Tooltip content={t('chat.newConversation')} relationship="label">
          <Button appearance="subtle" icon={<Compose24Regular />} onClick={onCreate} disabled={creating} />
        </Tooltip>
      </div>
      <SearchBox
        className={styles.search}
        value={typed}
        onChange={(_, data) => setTyped(data.value)}
        placeholder={t('chat.search.placeholder')}
        aria-label={t('chat.search.label')}
        maxLength={200}
      />
      {error && <div className={styles.error}>{error}</div>}
      {query ? (
        <SearchResults
          hits={search.data ?? null}
          error={search.error}
          activeId={activeId}
          withWhom={withWhom}
        />
      ) : threads === null ? (
        !error && <Spinner size="small" label={t('chat.loadingList')} />
      ) : threads.length === 0 ? (
        <Text as="p" size={200} className={styles.empty}>
          {t('chat.noConversations')}
        </Text>
      ) : (
        <div className={styles.list} role="region" aria-label={t('chat.listLabel')}>
          {rows.map(({ group, threads: members }) => (
            <div key={group}>
              <h3 className={styles.group} id={`conversations-${group}`}>
                {t(`chat.groups.${group}`)}
              </h3>
              <ul className={styles.groupList} aria-labelledby={`conversations-${group}`}>
            {members.map((thread) => {
            const active = thread.id === activeId;
            const assistant = withWhom(thread);
            return (
              <li key={thread.id} className={mergeClasses(styles.item, active && styles.active)} data-testid="conversation">
                <Link to={`/chat/${thread.id}`} className={styles.link} aria-current={active ? 'page' : undefined}>
                  <Text weight={active ? 'semibold' : 'regular'} className={styles.name}>
                    {thread.title}
                  </Text>
                  <Text size={200} className={styles.date}>
                    {formatWhen(thread.updated_at, i18n.language)}
                    {assistant && ` · ${assistant}`}
                  </Text>
                </Link>
                <Menu positioning="below-end">
                  <MenuTrigger disableButtonEnhancement>
                    <Button
                      appearance="subtle"
                      icon={<MoreHorizontal20Regular />}
                      aria-label={t('chat.moreActions', { title: thread.title })}
                    />
                  </MenuTrigger>
                  <MenuPopover>
                    <MenuList>
                      <MenuItem icon={<Edit20Regular />} onClick={() => setRenaming(thread)}>
                        {t('chat.rename')}
                      </MenuItem>
                      <MenuItem icon={<Delete20Regular />} onClick={() => setDeleting(thread)}>
                        {t('chat.delete')}
                      </MenuItem>
                    </MenuList>
                  </MenuPopover>
                </Menu>
              </li>
            );
            })}
              </ul>
            </div>
          ))}
        </div>
      )}
      {/* Both dialogs stay mounted and only open: mounting one open as the menu closes races the menu's focus return. */}
      <Dialog open={renaming !== null} onOpenChange={(_, data) => !data.open && setRenaming(null)}>
        <DialogSurface>
          {renaming && (
            <RenameForm
              key={renaming.id}
              thread={renaming}
              onClose={() => setRenaming(null)}
              onSave={async (title) => (await onRename(renaming.id, title)) && setRenaming(null)}
            />
          )}
        </DialogSurface>
      </Dialog>
      <Dialog open={deleting !== null} onOpenChange={(_, data) => !data.open && setDeleting(null)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>{t('chat.deleteTitle')}</DialogTitle>
            <DialogContent>{t('chat.deleteBody', { title: deleting?.title ?? '' })}</DialogContent>
            <DialogActions>
              <Button appearance="secondary" onClick={() => setDeleting(null)}>
                {t('chat.cancel')}
              </Button>
              <Button
                appearance="primary"
                onClick={async () => {
                  if (deleting && (await onDelete(deleting.id))) setDeleting(null);
                }}
              >
                {t('chat.delete')}
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </section>
  );
}

function SearchResults({
  hits,
  error,
  activeId,
  withWhom,
}: {
  hits: SearchHit[] | null;
  error: unknown;
  activeId: string | undefined;
  withWhom: (thread: { assistant_id: string | null }) => string | null;
}) {
  const styles = useStyles();
  const { t } = useTranslation();
  if (error) return <div className={styles.error}><ErrorMessageBar error={error} /></div>;
  if (hits === null) return <Spinner size="small" label={t('chat.search.searching')} />;
  if (hits.length === 0) {
    return (
      <Text as="p" size={200} className={styles.empty} role="status">
        {t('chat.search.none')}
      </Text>
    );
  }
  return (
    <ul className={styles.list} aria-label={t('chat.search.results', { count: hits.length })}>
      {hits.map((hit) => {
        const active = hit.thread_id === activeId;
        const assistant = withWhom(hit);
        return (
          <li key={hit.thread_id} className={mergeClasses(styles.item, active && styles.active)} data-testid="search-hit">
            <Link to={`/chat/${hit.thread_id}`} className={styles.link} aria-current={active ? 'page' : undefined}>
              <Text weight="semibold" className={styles.name}>
                {hit.title}
              </Text>
              <Text size={200} className={styles.snippet}>
                {hit.snippet}
              </Text>
              {assistant && (
                <Text size={200} className={styles.date}>
                  {assistant}
                </Text>
              )}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

function useDebounced(value: string, delayMs: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

function RenameForm({ thread, onClose, onSave }: { thread: Thread; onClose: () => void; onSave: (title: string) => void }) {
  const { t } = useTranslation();
  const [title, setTitle] = useState(thread.title);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (title.trim()) onSave(title.trim());
  };
  return (
    <form onSubmit={submit}>
      <DialogBody>
        <DialogTitle>{t('chat.renameTitle')}</DialogTitle>
        <DialogContent>
          <Field label={t('chat.renameLabel')} required>
            <Input value={title} maxLength={200} onChange={(_, data) => setTitle(data.value)} />
          </Field>
        </DialogContent>
        <DialogActions>
          <Button appearance="secondary" onClick={onClose}>
            {t('chat.cancel')}
          </Button>
          <Button type="submit" appearance="primary" disabled={!title.trim()}>
            {t('chat.save')}
          </Button>
        </DialogActions>
      </DialogBody>
    </form>
  );
}

/** The time for today's conversations, the date for older ones. */
function formatWhen(iso: string, language: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const today = new Date().toDateString() === date.toDateString();
  return new Intl.DateTimeFormat(language, today ? { hour: '2-digit', minute: '2-digit' } : { day: 'numeric', month: 'short' }).format(date);
}
