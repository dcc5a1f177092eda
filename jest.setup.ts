import "@testing-library/jest-dom";

// The app's one-line logs are asserted where they matter (testing/captureLogs); elsewhere they are noise.
jest.spyOn(console, "info").mockImplementation(() => undefined);
jest.spyOn(console, "warn").mockImplementation(() => undefined);
