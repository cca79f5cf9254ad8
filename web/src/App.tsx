import { lazy } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { AppPage } from './pages/AppPage';
import { AuthCallbackPage } from './pages/AuthCallbackPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { SIGNED_OUT_PATH, SignedOutPage } from './pages/SignedOutPage';
import { ChatPage } from './pages/chat/ChatPage';
import { RequireUser } from './shell/RequireUser';
import { Shell } from './shell/Shell';
import { APPS, HOME_PATH } from './shell/apps';

// Every page but the chat (the home page) is its own chunk, loaded when first opened: the first load
// carries only the shell and the chat. The shell shows a spinner meanwhile (Shell's Suspense).
const ActivityPage = lazy(() => import('./pages/activite/ActivityPage').then((m) => ({ default: m.ActivityPage })));
const AdminPage = lazy(() => import('./pages/admin/AdminPage').then((m) => ({ default: m.AdminPage })));
const AutomationsPage = lazy(() =>
  import('./pages/automatisations/AutomationsPage').then((m) => ({ default: m.AutomationsPage })),
);
const AssistantsPage = lazy(() => import('./pages/assistants/AssistantsPage').then((m) => ({ default: m.AssistantsPage })));
const AuditPage = lazy(() => import('./pages/audit/AuditPage').then((m) => ({ default: m.AuditPage })));
const DocumentPage = lazy(() => import('./pages/documents/DocumentPage').then((m) => ({ default: m.DocumentPage })));
const CourrierPage = lazy(() => import('./pages/courrier/CourrierPage').then((m) => ({ default: m.CourrierPage })));
const CourriersPage = lazy(() => import('./pages/courriers/CourriersPage').then((m) => ({ default: m.CourriersPage })));
const TranscriptPage = lazy(() => import('./pages/meetings/TranscriptPage').then((m) => ({ default: m.TranscriptPage })));
const GovernancePage = lazy(() => import('./pages/gouvernance/GovernancePage').then((m) => ({ default: m.GovernancePage })));
const ToolsPage = lazy(() => import('./pages/registry/ToolsPage').then((m) => ({ default: m.ToolsPage })));

/** Apps whose page is built; the others show the shell's placeholder page. */
const OWN_PAGES = new Set(['assistants', 'activite', 'audit', 'outils', 'courrier', 'courriers', 'gouvernance']);

export function App() {
  return (
    <Routes>
      {/* Reachable without a token: the sign-in return and the signed-out page. */}
      <Route path="/auth/callback" element={<AuthCallbackPage />} />
      <Route path={SIGNED_OUT_PATH} element={<SignedOutPage />} />
      <Route path="/" element={<Navigate to={HOME_PATH} replace />} />
      <Route
        element={
          <RequireUser>
            <Shell />
          </RequireUser>
        }
      >
        {/* Chat is open to everyone; its page takes the conversation from the URL. */}
        <Route path="/chat/:threadId?" element={<ChatPage />} />
        {/* A meeting's transcript, where a chat citation links to (`?cues=` names the cited cues). */}
        <Route path="/reunions/:eventId" element={<TranscriptPage />} />
        {/* A cited document's text at the cited page (`?at=page%209`), for documents Ariane can show. */}
        <Route path="/documents/:source/:id" element={<DocumentPage />} />
        <Route path="/administration/*" element={<AdminPage />} />
        <Route path="/assistants/*" element={<AssistantsPage />} />
        <Route path="/activite/*" element={<ActivityPage />} />
        {/* Mail triggers and schedules, opened from Activité (its app stays highlighted). */}
        <Route path="/automatisations" element={<AutomationsPage />} />
        <Route path="/audit/*" element={<AuditPage />} />
        <Route path="/outils/*" element={<ToolsPage />} />
        <Route path="/courrier/*" element={<CourrierPage />} />
        <Route path="/courriers/:batchId?" element={<CourriersPage />} />
        <Route path="/gouvernance/*" element={<GovernancePage />} />
        {APPS.filter((app) => !OWN_PAGES.has(app.id)).map((app) => (
          <Route key={app.id} path={`${app.path}/*`} element={<AppPage app={app} />} />
        ))}
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
