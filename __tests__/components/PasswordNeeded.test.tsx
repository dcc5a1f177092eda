/**
 * @jest-environment jest-fixed-jsdom
 */
import { render, screen } from "@testing-library/react";
import { useRouter } from "next/router";
import { PasswordNeeded } from "@/components/PasswordNeeded";

jest.mock("next/router", () => ({ useRouter: jest.fn() }));

describe("PasswordNeeded", () => {
  it("says Keycloak did not confirm a new sign-in, and offers Try again: the round trip once more, back to this page", () => {
    jest.mocked(useRouter).mockReturnValue({ asPath: "/admin?reauth=1700000000" } as unknown as ReturnType<typeof useRouter>);
    render(<PasswordNeeded maxAuthAgeS={300} />);
    expect(screen.getByRole("alert")).toHaveTextContent("within the last 300 seconds");
    const retry = screen.getByRole("link", { name: "Try again" });
    expect(retry).toHaveAttribute("href", `/auth/reauth?${new URLSearchParams({ callbackUrl: "/admin", maxAge: "300" })}`);
  });
});
