import { Body, Controller, Delete, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, HOOKFLOW_CONFIG, type HookflowConfig } from '@hookflow/common';
import { Audited } from '../audit/audited.decorator';
import { Authenticator } from '../auth/authenticator';
import { setPrincipal, type Principal } from '../auth/principal';
import { Public } from '../auth/scopes';
import {
  clearSessionCookie,
  isSameOriginChange,
  sessionTokenOf,
  setSessionCookie,
} from '../auth/session-cookie';
import { SignInLimiter } from '../auth/sign-in-limiter';
import { NewUserDto, SignInDto } from './dto/accounts.dto';
import { SessionsService } from './sessions.service';
import { presentUser, userPrincipal, UsersService, type UserView } from './users.service';

export interface SessionView {
  /** True until the owner account exists (the editor then shows the setup form). */
  setupNeeded: boolean;
  /** The signed-in user (cookie session), null for API keys and anonymous callers. */
  user: UserView | null;
  principal: Pick<Principal, 'kind' | 'id' | 'name' | 'scopes'> | null;
}

/** First-run setup and browser sessions. Open routes: they are how one gets credentials. */
@ApiTags('accounts')
@Controller('api')
export class SessionController {
  constructor(
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
    @Inject(SignInLimiter) private readonly limiter: SignInLimiter,
    @Inject(HOOKFLOW_CONFIG) private readonly config: HookflowConfig,
  ) {}

  @Post('setup')
  @Public()
  @Audited({ action: 'user.setup', targetType: 'user' })
  @ApiOperation({ summary: 'Create the owner account (only while no user exists; 409 after)' })
  async setup(
    @Body() body: NewUserDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UserView> {
    const owner = await this.users.setupOwner(body);
    // The owner made this change; the audit log names them.
    setPrincipal(request, userPrincipal(owner));
    const session = await this.sessions.create(owner);
    setSessionCookie(reply, this.config, session.token, session.expiresAt);
    return presentUser(owner);
  }

  @Get('session')
  @Public()
  @ApiOperation({ summary: 'Who am I (any credentials, or none), and whether setup is needed' })
  async whoAmI(@Req() request: FastifyRequest): Promise<SessionView> {
    const principal = await this.authenticator.authenticate(request).catch(() => undefined);
    const user = principal?.kind === 'user' ? await this.users.findById(principal.id) : undefined;
    return {
      setupNeeded: await this.users.setupNeeded(),
      user: user ? presentUser(user) : null,
      principal: principal
        ? { kind: principal.kind, id: principal.id, name: principal.name, scopes: principal.scopes }
        : null,
    };
  }

  @Post('session')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with email and password: sets the session cookie' })
  async signIn(
    @Body() body: SignInDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UserView> {
    const email = body.email.trim().toLowerCase();
    const wait = await this.limiter.retryAfter(email, request.ip);
    if (wait > 0) {
      void reply.header('retry-after', String(wait));
      throw new AppError(429, 'rate_limited', `too many failed sign-ins: try again in ${wait} s`);
    }
    const user = await this.users.verify(email, body.password);
    if (!user) {
      await this.limiter.recordFailure(email, request.ip);
      throw new AppError(401, 'unauthorized', 'email or password is wrong');
    }
    await this.limiter.recordSuccess(email);
    const session = await this.sessions.create(user);
    setSessionCookie(reply, this.config, session.token, session.expiresAt);
    return presentUser(user);
  }

  @Delete('session')
  @Public()
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out: ends the session and clears the cookie' })
  async signOut(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const token = sessionTokenOf(request);
    if (!token) return;
    if (!isSameOriginChange(request, this.config)) {
      throw new AppError(403, 'forbidden', 'signing out must send the X-Hookflow-CSRF header');
    }
    await this.sessions.destroy(token);
    clearSessionCookie(reply, this.config);
  }
}
