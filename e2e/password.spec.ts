import { alerts, apiToken, expect, restCall, stackDetails, test } from "./fixtures";

const NEW_PASSWORD = "a brand new password";

test("changing the password: this browser stays signed in, other sessions and API tokens end, only the new password signs in", async ({
  page,
  browser,
  account,
}) => {
  // A second device, signed in with the same account, and a REST client's token.
  const other = await browser.newContext({ baseURL: stackDetails().baseUrl });
  const otherPage = await other.newPage();
  await otherPage.goto("/sign-in");
  await otherPage.getByLabel("Email").fill(account.email);
  await otherPage.getByLabel("Password").fill(account.password);
  await otherPage.getByRole("button", { name: "Sign in" }).click();
  await otherPage.waitForURL(/\/chat/);
  const token = await apiToken(account);
  expect((await restCall(token, "GET", "/auth/me/")).status).toBe(200);

  await page.goto("/settings");
  await expect(page.getByRole("row", { name: /e2e/ })).toBeVisible();
  const form = page.getByRole("region", { name: "Change password" });

  // A wrong current password is refused on the form, nothing changes.
  await form.getByLabel("Current password").fill("not my password");
  await form.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await form.getByLabel("Confirm new password").fill(NEW_PASSWORD);
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByText("The password is not correct.")).toBeVisible();
  await expect(form.getByLabel("Current password")).toHaveAttribute("aria-invalid", "true");

  // Mistyped confirmation: caught before anything is sent.
  await form.getByLabel("Current password").fill(account.password);
  await form.getByLabel("Confirm new password").fill(`${NEW_PASSWORD}!`);
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByText("The new passwords do not match.")).toBeVisible();

  await form.getByLabel("Confirm new password").fill(NEW_PASSWORD);
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByRole("status")).toHaveText(
    "Password changed. Your other sessions were signed out and your API tokens were deleted.",
  );
  await expect(page.getByText("No tokens yet.")).toBeVisible();
  expect((await restCall(token, "GET", "/auth/me/")).status).toBe(401);

  // This browser is still signed in.
  await page.goto("/chat");
  await expect(page).toHaveURL(/\/chat$/);
  await page.goto("/settings");
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();

  // The other device is signed out.
  await otherPage.goto("/settings");
  await expect(otherPage).toHaveURL(/\/sign-in/);

  // There, the old password no longer signs in; the new one does.
  await otherPage.getByLabel("Email").fill(account.email);
  await otherPage.getByLabel("Password").fill(account.password);
  await otherPage.getByRole("button", { name: "Sign in" }).click();
  await expect(alerts(otherPage)).toHaveText("Wrong email or password.");
  await otherPage.getByLabel("Password").fill(NEW_PASSWORD);
  await otherPage.getByRole("button", { name: "Sign in" }).click();
  await otherPage.waitForURL(/\/settings$/);
  await expect(otherPage.getByRole("heading", { name: "Settings" })).toBeVisible();
  await other.close();
});
