import { Loader, MantineProvider, createTheme } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import './app.css';
import { SessionGate } from './components/session';
import { Shell } from './components/shell';
import { LiveProvider } from './live/live-provider';
import { SpecEditPage, SpecListPage } from './components/spec-editor';
import { ApplicationUserEditPage } from './pages/application-user-edit-page';
import { AuditLogPage } from './pages/audit-log-page';
import { CallRecordsPage } from './pages/call-records-page';
import { CallTracePage } from './pages/call-trace-page';
import { CtiAccessPage } from './pages/cti-access-page';
import { DeviceEditPage } from './pages/device-edit-page';
import { DevicesPage } from './pages/devices-page';
import { EndUserEditPage } from './pages/end-user-edit-page';
import { ImportPage } from './pages/import-page';
import { LineEditPage, LinesPage } from './pages/lines-pages';
import { LivePage } from './pages/live-page';
import { LoginPage } from './pages/login-page';
import { NotFoundPage } from './pages/not-found-page';
import { huntListSpec, huntPilotSpec, lineGroupSpec, voicemailProfileSpec } from './pages/routing-specs';
import { SettingsPage } from './pages/settings-page';
import { AccessControlGroupsPage, ApplicationUsersPage, EndUsersPage } from './pages/user-lists';

const theme = createTheme({ primaryColor: 'blue', defaultRadius: 'sm' });

// The charts library is most of the code; it loads with the dashboard, not before the sign-in page.
const DashboardPage = lazy(async () => ({ default: (await import('./pages/dashboard-page')).DashboardPage }));

export function App() {
  return (
    <MantineProvider theme={theme}>
      <SessionGate signIn={(done) => <LoginPage onSignedIn={done} />}>
        <LiveProvider>
          <BrowserRouter>
            <Shell>
              <Suspense fallback={<Loader aria-label="Loading" />}>
                <Routes>
                  <Route path="/" element={<DashboardPage />} />
                  <Route path="/live" element={<LivePage />} />
                  <Route path="/devices" element={<DevicesPage />} />
                  <Route path="/devices/:name" element={<DeviceEditPage />} />
                  <Route path="/lines" element={<LinesPage />} />
                  <Route path="/lines/:dn" element={<LineEditPage />} />
                  <Route path="/application-users" element={<ApplicationUsersPage />} />
                  <Route path="/application-users/:userId" element={<ApplicationUserEditPage />} />
                  <Route path="/end-users" element={<EndUsersPage />} />
                  <Route path="/end-users/:userId" element={<EndUserEditPage />} />
                  <Route path="/access-control-groups" element={<AccessControlGroupsPage />} />
                  <Route path="/cti-access" element={<CtiAccessPage />} />
                  {[huntPilotSpec, huntListSpec, lineGroupSpec, voicemailProfileSpec].flatMap((spec) => [
                    <Route key={spec.path} path={spec.path} element={<SpecListPage key={spec.path} spec={spec} />} />,
                    <Route
                      key={`${spec.path}/:key`}
                      path={`${spec.path}/:key`}
                      element={<SpecEditPage key={spec.path} spec={spec} />}
                    />,
                  ])}
                  <Route path="/call-records" element={<CallRecordsPage />} />
                  <Route path="/call-trace" element={<CallTracePage />} />
                  <Route path="/audit-log" element={<AuditLogPage />} />
                  <Route path="/settings" element={<SettingsPage />} />
                  <Route path="/import" element={<ImportPage />} />
                  <Route path="*" element={<NotFoundPage />} />
                </Routes>
              </Suspense>
            </Shell>
          </BrowserRouter>
        </LiveProvider>
      </SessionGate>
    </MantineProvider>
  );
}
