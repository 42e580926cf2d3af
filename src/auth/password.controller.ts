import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiNoContentResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { CurrentUser } from '../common/auth.decorators.js';
import type { UserPrincipal } from '../common/principal.js';
import { AuthService } from './auth.service.js';
import { ChangePasswordDto } from './dto/change-password.dto.js';

/** Apart from AuthController, which is public as a whole: changing a password needs a signed-in user. */
@ApiTags('auth')
@ApiBearerAuth()
@Controller('auth')
export class PasswordController {
  constructor(private readonly auth: AuthService) {}

  @Post('password')
  @HttpCode(204)
  @ApiOperation({ summary: "Change the signed-in person's own password", description: 'Any role. The new password follows the signup rules.' })
  @ApiNoContentResponse({ description: 'Changed' })
  @ApiBadRequestResponse({ description: 'currentPassword is wrong, or newPassword is too weak' })
  @ApiUnauthorizedResponse({ description: 'Missing, invalid or expired access token' })
  changePassword(@CurrentUser() caller: UserPrincipal, @Body() dto: ChangePasswordDto) {
    return this.auth.changePassword(caller, dto);
  }
}
