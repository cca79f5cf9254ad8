import { Navigate, Route, Routes } from 'react-router-dom';
import { AppPage } from './pages/AppPage';
import { AuthCallbackPage } from './pages/AuthCallbackPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { SIGNED_OUT_PATH, SignedOutPage } from './pages/SignedOutPage';
import { ActivityPage } from './pages/activite/ActivityPage';
import { AdminPage } from './pages/admin/AdminPage';
import { AssistantsPage } from './pages/assistants/AssistantsPage';
import { AuditPage } from './pages/audit/AuditPage';
import { ChatPage } from './pages/chat/ChatPage';
import { CourrierPage } from './pages/courrier/CourrierPage';
import { CourriersPage } from './pages/courriers/CourriersPage';
import { GovernancePage } from './pages/gouvernance/GovernancePage';
import { TranscriptPage } from './pages/meetings/TranscriptPage';
import { ToolsPage } from './pages/registry/ToolsPage';
import { RequireUser } from './shell/RequireUser';
import { Shell } from './shell/Shell';
import { APPS, HOME_PATH } from './shell/apps';

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
        <Route path="/administration/*" element={<AdminPage />} />
        <Route path="/assistants/*" element={<AssistantsPage />} />
        <Route path="/activite/*" element={<ActivityPage />} />
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
