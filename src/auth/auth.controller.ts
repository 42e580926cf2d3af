import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { Public } from '../common/auth.decorators.js';
import { AuthService } from './auth.service.js';
import { LoginDto } from './dto/login.dto.js';
import { SignupDto } from './dto/signup.dto.js';
import { LoginThrottlerGuard } from './login-throttler.guard.js';

@Controller('auth')
@Public()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('signup')
  signup(@Body() dto: SignupDto) {
    return this.auth.signup(dto);
  }

  @Post('login')
  @HttpCode(200)
  @UseGuards(LoginThrottlerGuard)
  login(@Body() dto: LoginDto) {
    return this.auth.login(dto);
  }
}
