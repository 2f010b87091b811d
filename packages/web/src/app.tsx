import { MantineProvider, createTheme } from '@mantine/core';
import { BrowserRouter, Route, Routes } from 'react-router';
import './app.css';
import { SessionGate } from './components/session';
import { Shell } from './components/shell';
import { LiveProvider } from './live/live-provider';
import { ApplicationUserEditPage } from './pages/application-user-edit-page';
import { DeviceEditPage } from './pages/device-edit-page';
import { DevicesPage } from './pages/devices-page';
import { LoginPage } from './pages/login-page';
import { NotFoundPage } from './pages/not-found-page';

const theme = createTheme({ primaryColor: 'blue', defaultRadius: 'sm' });

export function App() {
  return (
    <MantineProvider theme={theme}>
      <SessionGate signIn={(done) => <LoginPage onSignedIn={done} />}>
        <LiveProvider>
          <BrowserRouter>
            <Shell>
              <Routes>
                <Route path="/devices" element={<DevicesPage />} />
                <Route path="/devices/:name" element={<DeviceEditPage />} />
                <Route path="/application-users/:userId" element={<ApplicationUserEditPage />} />
                <Route path="*" element={<NotFoundPage />} />
              </Routes>
            </Shell>
          </BrowserRouter>
        </LiveProvider>
      </SessionGate>
    </MantineProvider>
  );
}
