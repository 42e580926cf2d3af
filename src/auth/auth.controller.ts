import { Body, Controller, Get, HttpCode, Post, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Public } from '../common/auth.decorators.js';
import { AuthService } from './auth.service.js';
import { AccessTokenView, SetupStateView, SignupView } from './dto/auth.view.js';
import { LoginDto } from './dto/login.dto.js';
import { SignupDto } from './dto/signup.dto.js';
import { LoginThrottlerInterceptor } from './login-throttler.interceptor.js';

@ApiTags('auth')
@Controller('auth')
@Public()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Get('setup')
  @ApiOperation({ summary: 'Whether this server is set up and open to signup', description: 'No credential needed. The dashboard opens on "create your organization" while no organization exists.' })
  @ApiOkResponse({ type: SetupStateView })
  setup() {
    return this.auth.setupState();
  }

  @Post('signup')
  @ApiOperation({
    summary: 'Create an organization and its owner',
    description:
      'No credential needed. Open per SIGNUP_ENABLED: by default (first-run) only while no organization exists, so the first person sets the instance up; ' +
      '`true` always open; `false` closed.',
  })
  @ApiCreatedResponse({ type: SignupView, description: 'The new owner, the organization, and an access token for the owner' })
  @ApiBadRequestResponse({ description: 'Invalid email, weak password or bad organization name' })
  @ApiForbiddenResponse({ description: 'Signup is closed on this server (already set up, or disabled): an administrator adds users' })
  @ApiConflictResponse({ description: 'A user with this email already exists' })
  signup(@Body() dto: SignupDto) {
    return this.auth.signup(dto);
  }

  @Post('login')
  @HttpCode(200)
  @UseInterceptors(LoginThrottlerInterceptor)
  @ApiOperation({ summary: 'Exchange email and password for an access token', description: 'No credential needed. Attempts are limited per client address and email, and failed attempts per client address.' })
  @ApiOkResponse({ type: AccessTokenView })
  @ApiBadRequestResponse({ description: 'Malformed body' })
  @ApiUnauthorizedResponse({ description: 'Invalid email or password (the same answer for both)' })
  @ApiTooManyRequestsResponse({ description: 'Too many login attempts; Retry-After says when to try again' })
  login(@Body() dto: LoginDto) {
    return this.auth.login(dto);
  }
}
